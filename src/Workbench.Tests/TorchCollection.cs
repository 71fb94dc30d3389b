namespace Workbench.Tests;

/// <summary>
/// Tests that seed or draw from torch's global generator, or time steps, run one at a time: xunit runs classes in
/// parallel, and an interleaved torch.manual_seed would make "same seed ⇒ same weights" checks flaky.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch (sequential)";
}
