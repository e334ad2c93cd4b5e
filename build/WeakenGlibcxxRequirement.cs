// Compiled by MSBuild's RoslynCodeTaskFactory from GraphSSL.NativeFix.targets; not part of any assembly.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks one GNU symbol-version requirement of an ELF64 little-endian shared library as weak
/// (VER_FLG_WEAK), so the dynamic loader accepts the library when the system lacks that version.
/// Does nothing when the system libstdc++ already provides the version, when the file has no such
/// requirement, or when it is already weak.
/// </summary>
public class GraphSSLWeakenGlibcxxRequirement : Task
{
    [Required] public ITaskItem[] Files { get; set; }
    [Required] public string VersionName { get; set; }
    /// <summary>Patch even when this machine's libstdc++ provides the version (for packages that run elsewhere).</summary>
    public bool Always { get; set; }

    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    public override bool Execute()
    {
        if (!Always && SystemProvides(VersionName))
        {
            Log.LogMessage(MessageImportance.Low, "System libstdc++ provides " + VersionName + "; no native fix needed.");
            return true;
        }
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            try
            {
                var result = Patch(path, VersionName);
                Log.LogMessage(MessageImportance.Normal, "GraphSSL native fix: " + path + ": " + result);
            }
            catch (Exception e)
            {
                Log.LogWarning("GraphSSL native fix could not patch " + path + ": " + e.Message);
            }
        }
        return !Log.HasLoggedErrors;
    }

    static bool SystemProvides(string version)
    {
        var dirs = new List<string>();
        var ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(ld)) dirs.AddRange(ld.Split(':'));
        dirs.AddRange(new[] {
            "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/aarch64-linux-gnu", "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib64", "/usr/local/lib" });
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        foreach (var dir in dirs)
        {
            if (string.IsNullOrEmpty(dir)) continue;
            var file = Path.Combine(dir, "libstdc++.so.6");
            if (!File.Exists(file)) continue;
            if (IndexOf(File.ReadAllBytes(file), needle) >= 0) return true;
        }
        // No libstdc++ found where we looked: patching is harmless (a weak requirement that is met
        // behaves exactly like a strong one), so patch.
        return false;
    }

    static int IndexOf(byte[] hay, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= hay.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && hay[i + j] == needle[j]) j++;
            if (j == needle.Length) return i;
        }
        return -1;
    }

    static string Patch(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
            return "not an ELF file, left alone";
        if (bytes[4] != 2 || bytes[5] != 1) return "not ELF64 little-endian, left alone";

        ulong shoff = BitConverter.ToUInt64(bytes, 0x28);
        ushort shentsize = BitConverter.ToUInt16(bytes, 0x3A);
        ushort shnum = BitConverter.ToUInt16(bytes, 0x3C);
        for (int s = 0; s < shnum; s++)
        {
            long sh = (long)shoff + (long)s * shentsize;
            uint type = BitConverter.ToUInt32(bytes, (int)sh + 4);
            if (type != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(bytes, (int)sh + 0x18);
            uint link = BitConverter.ToUInt32(bytes, (int)sh + 0x28);
            long strSh = (long)shoff + (long)link * shentsize;
            long strOff = (long)BitConverter.ToUInt64(bytes, (int)strSh + 0x18);

            long vn = offset;
            while (true)
            {
                ushort cnt = BitConverter.ToUInt16(bytes, (int)vn + 2);
                uint aux = BitConverter.ToUInt32(bytes, (int)vn + 8);
                uint next = BitConverter.ToUInt32(bytes, (int)vn + 12);
                long va = vn + aux;
                for (int a = 0; a < cnt; a++)
                {
                    ushort flags = BitConverter.ToUInt16(bytes, (int)va + 4);
                    uint name = BitConverter.ToUInt32(bytes, (int)va + 8);
                    uint vnext = BitConverter.ToUInt32(bytes, (int)va + 12);
                    if (ReadCString(bytes, strOff + name) == version)
                    {
                        if ((flags & VerFlgWeak) != 0) return version + " already weak";
                        var newFlags = (ushort)(flags | VerFlgWeak);
                        bytes[va + 4] = (byte)(newFlags & 0xff);
                        bytes[va + 5] = (byte)(newFlags >> 8);
                        var tmp = path + ".graphssl-tmp";
                        File.WriteAllBytes(tmp, bytes);
                        File.Copy(tmp, path, true);
                        File.Delete(tmp);
                        return "marked " + version + " weak";
                    }
                    if (vnext == 0) break;
                    va += vnext;
                }
                if (next == 0) break;
                vn += next;
            }
        }
        return "no " + version + " requirement, left alone";
    }

    static string ReadCString(byte[] bytes, long at)
    {
        long end = at;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)at, (int)(end - at));
    }
}
