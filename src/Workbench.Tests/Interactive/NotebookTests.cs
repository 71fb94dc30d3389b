using Microsoft.DotNet.Interactive.Documents;
using Xunit.Abstractions;

namespace Workbench.Tests.Interactive;

/// <summary>
/// Every notebook under notebooks/ runs top to bottom in the real .NET Interactive C# kernel (dotnet-repl), from a
/// build made the README's way; a failing cell fails the test with the notebook, cell number and message. Each
/// notebook's key outputs are checked too (plots displayed as images, tables from the formatters, values from the run),
/// and the committed .ipynb copies must hold exactly the cells of their .dib sources.
/// Sequential with the torch tests: notebooks build datasets under datasets/ that other tests read.
/// </summary>
[Collection(TorchCollection.Name)]
public class NotebookTests(ITestOutputHelper output)
{
    private static readonly string Folder = Path.Combine(RepoRoot.Path, "notebooks");

    /// <summary>Set to 1 to write each run's .ipynb (outputs included) over notebooks/NAME.ipynb.</summary>
    public const string WriteCopiesVariable = "WORKBENCH_WRITE_NOTEBOOKS";

    /// <summary>
    /// What each notebook must show beyond "every cell ran". A notebook without an entry still gets the common checks
    /// (see <see cref="Notebook_runs_every_cell_in_the_real_kernel"/>).
    /// </summary>
    private static readonly Dictionary<string, Action<NotebookRun>> Expectations = new()
    {
        ["01-explore-dataset.dib"] = run =>
        {
            Assert.True(run.Count("image/png") >= 2, "the action bar chart and the rendered level are images");
            Assert.True(run.CountHtml("dataframe") >= 3, "head, describe and the FashionGrid sample are DataFrame tables");
            Assert.True(run.CountHtml("image-row") >= 3, "three FashionGrid episodes are shown as rows of observation images");
            Assert.Contains(run.Texts, t => t.StartsWith("gotoredballgrey: 2,000 episodes", StringComparison.Ordinal));
            Assert.Contains(run.Texts, t => t.Contains("observations fashion 56x56x3", StringComparison.Ordinal));
        },
        ["02-train-and-learning-curve.dib"] = run =>
        {
            Assert.True(run.Count("image/png") >= 3, "loss, accuracy and learning-rate curves are images");
            Assert.Contains(run.Texts, t => t.StartsWith("completed: 80 steps", StringComparison.Ordinal));
            Assert.Contains(run.Texts, t => t.Contains("train [########################] 80/80", StringComparison.Ordinal));
            Assert.Contains(run.Texts, t => t.Contains("val/loss", StringComparison.Ordinal));
            Assert.Contains(run.Texts, t => t.StartsWith("played by checkpoint sha256 ", StringComparison.Ordinal) && t.Contains(" of 16 episodes succeeded", StringComparison.Ordinal));
            Assert.True(run.CountHtml("dataframe") >= 1, "the DAgger episodes are a DataFrame table");
        },
        ["03-compare-versions.dib"] = run =>
        {
            Assert.Equal(2, run.CountHtml("suite-summary"));
            Assert.Equal(1, run.CountHtml("comparison"));
            Assert.True(run.Count("image/png") >= 5, "the paired-outcome chart and one bar chart per metric are images");
            Assert.Contains(run.Texts, t => t.Contains("eval quickstart (nb@v2) [########################] 200/200", StringComparison.Ordinal));
            Assert.Contains(run.Texts, t => t.Contains("200 paired episodes", StringComparison.Ordinal));
        },
        ["04-nightly-history.dib"] = run =>
        {
            Assert.True(run.Count("image/png") >= 1, "the history plot is an image");
            Assert.True(run.CountHtml("dataframe") >= 2, "the history and the latest night are DataFrame tables");
            Assert.Contains(run.Texts, t => t.Contains("(history now 16 rows)", StringComparison.Ordinal));
            Assert.Contains(run.Texts, t => t.Contains("estimates that differ between the first and last night: 0", StringComparison.Ordinal));
        },
    };

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Folder, "*.dib").Order()) data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void Every_notebook_has_expectations_and_every_expectation_a_notebook()
    {
        var names = Directory.EnumerateFiles(Folder, "*.dib").Select(Path.GetFileName).OfType<string>().ToList();
        Assert.Equal(Expectations.Keys.Order(), names.Order());
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_every_cell_in_the_real_kernel(string name)
    {
        string library = Path.Combine(RepoRoot.Path, "src", "Workbench.Interactive", "bin", "Debug", "net10.0", "Workbench.Interactive.dll");
        Assert.True(File.Exists(library), $"{library} is missing: the notebooks load the Debug build; run `dotnet build Workbench.sln` first");
        string ipynb = Path.Combine(TestSupport.TempDir(), Path.ChangeExtension(name, ".ipynb"));

        var run = await DotnetRepl.RunAsync(Path.Combine(Folder, name), ipynb, TimeSpan.FromMinutes(10));
        output.WriteLine($"{name}: exit {run.ExitCode} in {run.Elapsed.TotalSeconds:0.0} s, {run.Cells.Count} cells, outputs in {ipynb}");

        Assert.True(run.Failure() is null, run.Failure());
        var dib = await InteractiveDocument.LoadAsync(new FileInfo(Path.Combine(Folder, name)));
        Assert.Equal(dib.Elements.Count, run.Cells.Count);
        // Every code cell ran, and the first one reports TorchSharp loaded from the build output's patched copy.
        var start = run.Cells.First(c => c.Kernel == "csharp");
        Assert.Contains("WorkbenchNotebook.Start()", start.Source);
        Assert.Contains(start.Outputs, o => o["text/plain"]?.StartsWith("Workbench ready", StringComparison.Ordinal) == true);
        if (OperatingSystem.IsLinux())
            Assert.Contains(start.Outputs, o => o["text/plain"]?.Contains(
                Path.Combine(Path.GetDirectoryName(library)!, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"), StringComparison.Ordinal) == true);
        Expectations[name](run);

        if (Environment.GetEnvironmentVariable(WriteCopiesVariable) == "1")
            File.Copy(ipynb, Path.Combine(Folder, Path.GetFileName(ipynb)), overwrite: true);
    }

    [Fact]
    public async Task A_failing_cell_is_reported_with_its_notebook_cell_number_and_message()
    {
        string dir = TestSupport.TempDir();
        // `dotnet tool run` finds the pinned dotnet-repl through the manifest above the working directory.
        Directory.CreateDirectory(Path.Combine(dir, ".config"));
        File.Copy(Path.Combine(RepoRoot.Path, ".config", "dotnet-tools.json"), Path.Combine(dir, ".config", "dotnet-tools.json"));
        string path = Path.Combine(dir, "failing.dib");
        File.WriteAllText(path, "#!markdown\n\nhello\n\n#!csharp\n\nvar x = 2;\n\n#!csharp\n\nthrow new InvalidOperationException(\"boom \" + x);\n");

        var run = await DotnetRepl.RunAsync(path, Path.Combine(dir, "failing.ipynb"), TimeSpan.FromMinutes(3));

        Assert.NotEqual(0, run.ExitCode);
        string? failure = run.Failure();
        Assert.NotNull(failure);
        Assert.True(failure.Contains("failing.dib cell 3 (csharp) failed", StringComparison.Ordinal), failure);
        Assert.True(failure.Contains("boom 2", StringComparison.Ordinal), failure);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task The_ipynb_copy_holds_the_cells_of_its_dib(string name)
    {
        string copy = Path.Combine(Folder, Path.ChangeExtension(name, ".ipynb"));
        string refresh = $"refresh the copies with `{WriteCopiesVariable}=1 dotnet test Workbench.sln --filter FullyQualifiedName~NotebookTests`";
        Assert.True(File.Exists(copy), $"{copy} is missing; {refresh}");
        var dib = await InteractiveDocument.LoadAsync(new FileInfo(Path.Combine(Folder, name)));
        var ipynb = await InteractiveDocument.LoadAsync(new FileInfo(copy));
        Assert.True(dib.Elements.Select(e => (e.KernelName, Normalize(e.Contents))).SequenceEqual(ipynb.Elements.Select(e => (e.KernelName, Normalize(e.Contents)))),
            $"{Path.GetFileName(copy)} does not hold the cells of {name}; {refresh}");
        Assert.True(ipynb.Elements.SelectMany(e => e.Outputs).OfType<DisplayElement>().Any(d => d.Data.ContainsKey("image/png")),
            $"{Path.GetFileName(copy)} holds no plot, so not the outputs of a run; {refresh}");
    }

    private static string Normalize(string? text) => (text ?? "").Replace("\r\n", "\n").Trim();
}
