using TorchSharp;

namespace Workbench.Runtime;

/// <summary>Turns the config's <c>device:</c> setting (auto | cpu | cuda | cuda:N) into a TorchSharp device.</summary>
public static class DeviceSelector
{
    public static readonly string[] Accepted = ["auto", "cpu", "cuda", "cuda:N"];

    /// <summary>True when the text is one of the accepted forms; used by config validation.</summary>
    public static bool IsValid(string text) => TryParse(text, out _, out _);

    public static torch.Device Resolve(string text)
    {
        if (!TryParse(text, out var kind, out var index))
            throw new UserError($"device: '{text}' is not one of auto | cpu | cuda | cuda:N");
        switch (kind)
        {
            case "cpu":
                return torch.CPU;
            case "auto":
                return torch.cuda.is_available() ? new torch.Device(DeviceType.CUDA, 0) : torch.CPU;
            default:
                if (Unavailable(text) is { } problem) throw new UserError($"device: {problem}");
                return new torch.Device(DeviceType.CUDA, index);
        }
    }

    /// <summary>
    /// Why <paramref name="text"/> cannot run on this machine (a CUDA device that is not there), or null when it can —
    /// checked by config validation too, before anything runs.
    /// </summary>
    public static string? Unavailable(string text)
    {
        if (!TryParse(text, out var kind, out int index) || kind != "cuda") return null;
        if (!torch.cuda.is_available())
            return $"'{text}' asks for CUDA, but CUDA is not available on this machine (build with -p:TorchBackend=cuda on a machine " +
                   "with an NVIDIA driver, or use device: auto or cpu)";
        int count = torch.cuda.device_count();
        return index >= count ? $"'{text}' but only {count} CUDA device(s) are visible (cuda:0…cuda:{count - 1})" : null;
    }

    private static bool TryParse(string text, out string kind, out int index)
    {
        kind = text.Trim().ToLowerInvariant();
        index = 0;
        if (kind is "auto" or "cpu" or "cuda") return true;
        if (kind.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(kind[5..], out index) && index >= 0)
        {
            kind = "cuda";
            return true;
        }
        return false;
    }
}
