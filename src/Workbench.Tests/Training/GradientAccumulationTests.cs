using TorchSharp;
using Workbench.Models;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Training;

[Collection(TorchCollection.Name)]
public class GradientAccumulationTests
{
    public GradientAccumulationTests() => TestSupport.SingleThread();

    private static Dictionary<string, Tensor> Gradients(string family, int microBatches)
    {
        manual_seed(5);
        using var model = ModelArchitectures.Create(new ModelSpec(family, "tiny", 64, 16));
        var episodes = TestSupport.Demos(8, 21); // different lengths: the split is uneven in steps
        var (loss, _) = BehaviourCloningRecipe.AccumulateGradients(model, episodes, microBatches, 16, CPU);
        Assert.True(loss > 0);
        return model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }

    [Theory]
    [InlineData("transformer")]
    [InlineData("babyai_film")]
    public void TwoHalfBatchesGiveTheFullBatchGradient(string family)
    {
        var full = Gradients(family, 1);
        var halves = Gradients(family, 2);
        var quarters = Gradients(family, 4);
        foreach (var (name, g) in full)
        {
            Assert.True((g - halves[name]).abs().max().item<float>() <= 1e-6, $"{name}: 2×B/2 differs from 1×B");
            Assert.True((g - quarters[name]).abs().max().item<float>() <= 1e-6, $"{name}: 4×B/4 differs from 1×B");
        }
    }

    [Fact]
    public void ConfigRejectsAnAccumulationThatDoesNotDivideTheBatch()
    {
        string dir = TestSupport.TempDir();
        var e = Assert.Throws<Workbench.Config.ConfigException>(() => TestSupport.Experiment(dir, "train.grad_accum_steps=3"));
        Assert.Contains("train.grad_accum_steps", e.Message);
    }
}
