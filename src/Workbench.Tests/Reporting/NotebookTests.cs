namespace Workbench.Tests.Reporting;

/// <summary>
/// Every notebook under notebooks/ runs top to bottom (C# cells, in order, one session per notebook). Sequential with the
/// other torch tests: the notebooks train (torch's global generator) and move the working directory while they run.
/// </summary>
[Collection(TorchCollection.Name)]
public class NotebookTests
{
    private static readonly string Root = Workbench.Runtime.Workspace.FindRoot(AppContext.BaseDirectory);

    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, "notebooks"), "*.dib").Order())
            data.Add(Path.GetFileName(file));
        return data;
    }

    [Fact]
    public void There_are_notebooks()
    {
        Assert.True(Notebooks().Count >= 4);
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_every_cell_without_error(string name)
    {
        var globals = await NotebookRunner.RunAsync(Path.Combine(Root, "notebooks", name));
        Assert.NotEmpty(globals.Displayed);
    }

    [Fact]
    public void Parser_splits_cells_and_skips_metadata()
    {
        var cells = NotebookRunner.Parse("#!meta\n{\"x\":1}\n\n#!markdown\n# Title\n\n#!csharp\nvar a = 1;\n\n#!c#\ndisplay(a);\n");
        Assert.Equal(3, cells.Count);
        Assert.Equal(("markdown", "# Title"), (cells[0].Kernel, cells[0].Code));
        Assert.Equal(("csharp", "var a = 1;"), (cells[1].Kernel, cells[1].Code));
        Assert.Equal(3, cells[2].Number);
    }

    [Fact]
    public async Task A_failing_cell_is_reported_with_its_number()
    {
        string path = Path.Combine(Path.GetTempPath(), $"wb-{Guid.NewGuid():N}.dib");
        File.WriteAllText(path, "#!markdown\nhello\n\n#!csharp\nvar x = 2;\n\n#!csharp\nthrow new InvalidOperationException(\"boom \" + x);\n");
        try
        {
            var e = await Assert.ThrowsAsync<NotebookCellException>(() => NotebookRunner.RunAsync(path));
            Assert.Contains("cell 3: InvalidOperationException: boom 2", e.Message);
        }
        finally { File.Delete(path); }
    }
}
