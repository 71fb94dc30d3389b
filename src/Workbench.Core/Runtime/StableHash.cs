namespace Workbench.Runtime;

/// <summary>FNV-1a of a string: stable across processes (string.GetHashCode is randomised).</summary>
public static class StableHash
{
    public static ulong Of(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        return h;
    }
}
