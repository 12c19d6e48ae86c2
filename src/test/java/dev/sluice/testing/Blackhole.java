package dev.sluice.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A local address where connection attempts hang, as they do towards a host whose firewall drops packets: a
 * listening socket with a backlog of one that never accepts, whose accept queue is filled at start. Linux then
 * drops every further SYN, so a client's connect neither succeeds nor is refused until its connect timeout fires.
 * Needs no privileges. Lives as long as the test JVM.
 */
public final class Blackhole {

    private static ServerSocket listener;
    private static final List<Socket> QUEUED = new ArrayList<>();

    private Blackhole() {
    }

    /** {@code http://127.0.0.1:<port>} of the blackhole, started on first use. */
    public static synchronized String url() {
        if (listener == null) {
            try {
                listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                fill(listener.getLocalPort());
            } catch (IOException e) {
                throw new IllegalStateException("cannot open the blackhole socket", e);
            }
        }
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** Connects until a connection attempt hangs: the accept queue is then full and stays full. */
    private static void fill(int port) throws IOException {
        for (int i = 0; i < 16; i++) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                QUEUED.add(s);
            } catch (SocketTimeoutException full) {
                s.close();
                return;
            }
        }
        throw new IllegalStateException("the blackhole's accept queue never filled: connections are not dropped here");
    }
}
