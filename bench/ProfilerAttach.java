import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native JVMTI agent (async-profiler) into a running JVM with its options, for bench/run.sh's
 * PROFILE=async: {@code jcmd JVMTI.agent_load} cannot pass async-profiler's comma- and equals-separated options.
 *
 * <p>Usage: {@code ProfilerAttach PID /path/libasyncProfiler.so start,event=cpu,interval=1ms}
 */
public final class ProfilerAttach {
    public static void main(String[] args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
