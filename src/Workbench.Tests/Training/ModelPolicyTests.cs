using TorchSharp;
using Workbench.Envs;
using Workbench.Models;
using Workbench.Training;
using static TorchSharp.torch;

namespace Workbench.Tests.Training;

[Collection(TorchCollection.Name)]
public class ModelPolicyTests
{
    public ModelPolicyTests() => TestSupport.SingleThread();

    [Fact]
    public void PolicyActionsFollowTheModelsTeacherForcedArgmaxPerSlot()
    {
        manual_seed(2);
        var model = ModelArchitectures.Create(new ModelSpec("transformer", "tiny", 64, 16));
        var episodes = EpisodeSources.BotDemos("GoToRedBallGrey", 3).Where(e => e.Steps.Length >= 3).Take(2).ToList();
        Assert.Equal(2, episodes.Count);
        var (sequence, _) = EpisodeBatcher.Build(episodes, ObservationSpec.Symbolic, 16, CPU);
        long[,] expected;
        model.Module.eval();
        using (no_grad())
        {
            var argmax = model.ForwardSequence(sequence).argmax(2);                         // (2, T)
            expected = new long[2, 3];
            for (int e = 0; e < 2; e++) for (int t = 0; t < 3; t++) expected[e, t] = argmax[e, t].item<long>();
        }

        using var policy = new Workbench.Rollouts.ModelPolicy("test@v0", model);
        policy.Reset(3);                                                                    // slot 2 stays idle
        var envs = new[] { LevelRegistry.Create("GoToRedBallGrey"), LevelRegistry.Create("GoToRedBallGrey") };
        for (int t = 0; t < 3; t++)
        {
            // Slot order reversed on purpose: memory follows the slot, not the position in the call.
            var obs = new[] { 1, 0 }.Select(e => new Observation(episodes[e].Steps[t].Obs.ToArray(), episodes[e].Steps[t].Direction, episodes[e].Mission)).ToList();
            var actions = policy.Act([1, 0], obs, envs);
            Assert.Equal(expected[1, t], (long)actions[0]);
            Assert.Equal(expected[0, t], (long)actions[1]);
        }
    }
}
