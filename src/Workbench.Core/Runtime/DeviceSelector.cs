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
            throw new ArgumentException($"device: '{text}' is not one of auto | cpu | cuda | cuda:N");
        switch (kind)
        {
            case "cpu":
                return torch.CPU;
            case "auto":
                return torch.cuda.is_available() ? new torch.Device(DeviceType.CUDA, 0) : torch.CPU;
            default:
                if (!torch.cuda.is_available())
                    throw new InvalidOperationException(
                        $"device: '{text}' asked for CUDA, but CUDA is not available (build with -p:TorchBackend=cuda on a machine with an NVIDIA driver, or use device: auto).");
                int count = torch.cuda.device_count();
                if (index >= count)
                    throw new InvalidOperationException($"device: '{text}' but only {count} CUDA device(s) are visible.");
                return new torch.Device(DeviceType.CUDA, index);
        }
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
