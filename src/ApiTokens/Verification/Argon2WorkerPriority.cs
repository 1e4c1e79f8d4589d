using System.Runtime.InteropServices;

namespace ApiTokens;

/// <summary>
/// Lowers the calling Argon2 worker's scheduling priority, so that while hashes keep every core busy the threads that answer
/// requests (cached ones in microseconds) are scheduled first, and Argon2 gets every cycle they leave. On Linux, where .NET's
/// <see cref="Thread.Priority"/> changes nothing, that is the thread's nice value (a per-thread attribute there; raising it needs
/// no privilege); elsewhere <see cref="ThreadPriority.BelowNormal"/>. Best effort: a sandbox that refuses leaves the thread as it was.
/// </summary>
internal static class Argon2WorkerPriority
{
    /// <summary>The nice value of a worker on Linux (0 normal, 19 lowest): a weight about a tenth of a normal thread's.</summary>
    internal const int LinuxNice = 10;

    private const int PrioProcess = 0;

    public static void LowerCurrentThread()
    {
        if (OperatingSystem.IsLinux())
        {
            try
            {
                // PRIO_PROCESS with who = 0 is the calling thread on Linux (NPTL keeps nice values per thread).
                _ = SetPriority(PrioProcess, 0, LinuxNice);
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // No libc to ask (an unusual runtime): the worker keeps normal priority.
            }

            return;
        }

        Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
    }

    // DllImport rather than LibraryImport, which would need unsafe code in the project: three ints need no marshalling.
    [DllImport("libc", EntryPoint = "setpriority", ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SetPriority(int which, int who, int priority);
}
