using System.Runtime.InteropServices;

namespace GraphSSL.Training;

/// <summary>
/// How libtorch's OpenMP worker threads wait between parallel regions. libtorch's CPU build ships GNU OpenMP
/// (libgomp), whose threads spin for a while at every barrier before they sleep. On a machine whose cores are
/// all taken by other processes, a spinning thread holds a core that the thread it waits for needs, and an
/// epoch becomes many times slower (docs/PERFORMANCE.md, "Threads"). <c>OMP_WAIT_POLICY=PASSIVE</c> makes them
/// sleep at once; libgomp reads it once, when it is loaded, so it must be in the native environment before the
/// first TorchSharp call loads libtorch. <see cref="Apply"/> puts it there (unless the user set
/// <c>OMP_WAIT_POLICY</c> or opted out with <c>GRAPHSSL_THREAD_POLICY=off</c>); applications call it first
/// thing in <c>Main</c>, as the graphssl CLI and graphssl-bench do.
/// </summary>
public static class ThreadPolicy
{
    /// <summary>Set to <c>off</c> to leave libgomp's own wait policy (spin, then sleep).</summary>
    public const string OptOutVariable = "GRAPHSSL_THREAD_POLICY";

    /// <summary>The OpenMP variable <see cref="Apply"/> sets.</summary>
    public const string WaitPolicyVariable = "OMP_WAIT_POLICY";

    /// <summary>What <see cref="Apply"/> did.</summary>
    public enum Outcome
    {
        /// <summary><c>OMP_WAIT_POLICY=PASSIVE</c> was put into the native environment before libtorch was loaded.</summary>
        SetPassive,
        /// <summary>The user had set <c>OMP_WAIT_POLICY</c>; it was left as it is.</summary>
        UserSetting,
        /// <summary><c>GRAPHSSL_THREAD_POLICY=off</c>: nothing was changed.</summary>
        OptedOut,
        /// <summary>libtorch (and its OpenMP) was already loaded; changing the environment would have no effect.</summary>
        TooLate,
        /// <summary>Not Linux or macOS: nothing was changed (libtorch on Windows uses a different OpenMP).</summary>
        Unsupported,
    }

    static Outcome? applied;

    /// <summary>The outcome of the first <see cref="Apply"/> call in this process, or null when it was never called.</summary>
    public static Outcome? Applied => applied;

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY=PASSIVE</c> in the process's native environment when it is safe and useful (see
    /// <see cref="Outcome"/>). Idempotent; call it before anything touches TorchSharp. The managed environment is
    /// updated too, so child processes inherit the setting.
    /// </summary>
    public static Outcome Apply()
    {
        if (applied is Outcome done) return done;
        applied = Decide();
        return applied.Value;
    }

    static Outcome Decide()
    {
        if (string.Equals(Environment.GetEnvironmentVariable(OptOutVariable), "off", StringComparison.OrdinalIgnoreCase)) return Outcome.OptedOut;
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(WaitPolicyVariable))) return Outcome.UserSetting;
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return Outcome.Unsupported;
        if (LibTorchLoaded()) return Outcome.TooLate;
        // .NET keeps its own copy of the environment on Unix; libgomp reads the C library's, so set both.
        if (setenv(WaitPolicyVariable, "PASSIVE", 0) != 0) return Outcome.Unsupported;
        Environment.SetEnvironmentVariable(WaitPolicyVariable, "PASSIVE");
        return Outcome.SetPassive;
    }

    /// <summary>Whether libtorch's CPU library is mapped into this process (Linux: /proc/self/maps; elsewhere false).</summary>
    internal static bool LibTorchLoaded()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
                if (line.Contains("libtorch_cpu", StringComparison.Ordinal) || line.Contains("libgomp", StringComparison.Ordinal)) return true;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return false;
    }

    /// <summary>The wait policy libgomp sees (the C library's environment), or null when unset.</summary>
    public static string? NativeWaitPolicy()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())) return Environment.GetEnvironmentVariable(WaitPolicyVariable);
        var p = getenv(WaitPolicyVariable);
        return p == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(p);
    }

#pragma warning disable CA2101, SYSLIB1054 // ASCII names and values; a plain DllImport keeps the runtime free of unsafe code.
    [DllImport("libc", EntryPoint = "setenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", EntryPoint = "getenv", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    static extern IntPtr getenv(string name);
#pragma warning restore CA2101, SYSLIB1054
}
