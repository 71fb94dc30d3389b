using TorchSharp;
using static TorchSharp.torch;

namespace Workbench.Tests.Runtime;

/// <summary>Proves the native library loads on this machine (the build's libstdc++ fix) and autograd works.</summary>
public class TorchSharpLoadsTests
{
    [Fact]
    public void Tensor_arithmetic_runs_on_the_native_library()
    {
        using var a = tensor(new float[] { 1, 2, 3 });
        using var b = a * 2 + 1;
        Assert.Equal(new float[] { 3, 5, 7 }, b.data<float>().ToArray());
    }

    [Fact]
    public void A_linear_module_trains_one_step_and_its_loss_falls()
    {
        manual_seed(0);
        using var model = nn.Linear(4, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.1);
        using var x = randn(32, 4);
        using var y = x.sum(1, keepdim: true);

        float Loss()
        {
            using var scope = NewDisposeScope();
            return nn.functional.mse_loss(model.forward(x), y).item<float>();
        }

        float before = Loss();
        using (NewDisposeScope())
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.forward(x), y);
            loss.backward();
            Assert.NotNull(model.weight!.grad);
            Assert.True(model.weight.grad!.abs().sum().item<float>() > 0);
            optimizer.step();
        }
        Assert.True(Loss() < before);
    }

    [Fact]
    public void Device_auto_resolves_to_cpu_without_cuda_and_rejects_nonsense()
    {
        var device = Workbench.Runtime.DeviceSelector.Resolve("auto");
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, device.type);
        Assert.Equal(DeviceType.CPU, Workbench.Runtime.DeviceSelector.Resolve("cpu").type);
        Assert.Throws<UserError>(() => Workbench.Runtime.DeviceSelector.Resolve("gpu"));
        if (!torch.cuda.is_available())
            Assert.Contains("CUDA is not available", Assert.Throws<UserError>(() => Workbench.Runtime.DeviceSelector.Resolve("cuda:7")).Message);
        Assert.True(Workbench.Runtime.DeviceSelector.IsValid("cuda:1"));
        Assert.False(Workbench.Runtime.DeviceSelector.IsValid("cuda:x"));
    }
}
