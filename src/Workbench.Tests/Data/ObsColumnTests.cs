using Parquet;
using Workbench.Cli;
using Workbench.Data;
using Workbench.Tests.Cli;

namespace Workbench.Tests.Data;

/// <summary>
/// The obs column against the shape its file declares, and files without rows: a wrong-length image is a bad file
/// (named with row group, column and the expected size) from the moment the file is opened; an empty file is valid.
/// </summary>
public sealed class ObsColumnTests : IDisposable
{
    private readonly TempFolder _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private const int Tile = 4, RgbBytes = 28 * 28 * 3; // 7 cells × 4 px

    private static DemoWriterOptions Rgb(int rowsPerGroup) => new()
    {
        RowsPerGroup = rowsPerGroup, ObsKind = "rgb", ObsShape = "28x28x3",
        Metadata = new Dictionary<string, string> { [DemoSchema.TileSizeKey] = $"{Tile}" },
    };

    /// <summary>30 rgb episodes in row groups of ~40 rows; in episode 17 (row group 1 or later) step 2 has <paramref name="badBytes"/> bytes.</summary>
    private (string Folder, string File, int RowGroup) WriteRgbWithOneBadImage(int badBytes, int? rowsPerGroup = null)
    {
        string folder = _tmp["rgb"];
        var episodes = SyntheticDemos.Episodes(30, 5, minSteps: 3, maxSteps: 6, obsBytes: RgbBytes);
        var bad = episodes[17];
        var steps = bad.Steps.ToArray();
        steps[2] = steps[2] with { Obs = new byte[badBytes] };
        episodes[17] = bad with { Steps = steps };
        using (var writer = new DemonstrationWriter(folder, Rgb(rowsPerGroup ?? 40)))
        {
            foreach (var e in episodes) writer.Add(e);
            writer.Complete();
        }
        string file = Directory.GetFiles(folder, "*.parquet").Single();
        var reader = ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        int group;
        try
        {
            group = Enumerable.Range(0, reader.RowGroupCount).First(g =>
            {
                using var rowGroup = reader.OpenRowGroupReader(g);
                return DemoFile.ReadColumn<long>(file, g, rowGroup, DemoSchema.EpisodeId).Contains(17);
            });
        }
        finally { DemoFile.Close(reader); }
        return (folder, file, group);
    }

    [Theory]
    [InlineData(147)]           // a symbolic observation in an rgb file
    [InlineData(RgbBytes + 3)]  // one pixel too many
    public void An_image_of_the_wrong_length_makes_the_file_bad_when_it_is_opened(int badBytes)
    {
        var (folder, file, group) = WriteRgbWithOneBadImage(badBytes);
        Assert.True(group > 0, "the bad image should not be in the first row group: opening must look at every row group");

        var error = Assert.Throws<BadDataFileException>(() => DemoFile.Open(file));
        Assert.Equal(file, error.File);
        Assert.Equal(group, error.RowGroup);
        Assert.Equal("obs", error.Column);
        Assert.Contains($"row group {group}, column 'obs'", error.Message);
        Assert.Contains("2,352 bytes", error.Message); // 28×28×3, from the file's obs_shape
        Assert.Contains("28x28x3", error.Message);

        // The loader refuses it before delivering anything, so training stops before its first step.
        Assert.Throws<BadDataFileException>(() => StreamingLoader.Open(folder));
        // verify names it as a problem of that file, never "ok".
        var problems = DataInspector.Verify(folder);
        Assert.Contains(problems, p => p.File == file && p.Message.Contains("column 'obs'"));
    }

    [Fact]
    public void The_decoder_checks_every_value_even_when_the_sizes_of_the_column_chunk_add_up()
    {
        // Two wrong images that cancel in the chunk's total: only the per-value check at decode time sees them.
        string folder = _tmp["swap"];
        var episodes = SyntheticDemos.Episodes(6, 8, minSteps: 3, maxSteps: 3, obsBytes: RgbBytes);
        var steps = episodes[4].Steps.ToArray();
        steps[0] = steps[0] with { Obs = new byte[RgbBytes - 10] };
        steps[1] = steps[1] with { Obs = new byte[RgbBytes + 10] };
        episodes[4] = episodes[4] with { Steps = steps };
        using (var writer = new DemonstrationWriter(folder, Rgb(100)))
        {
            foreach (var e in episodes) writer.Add(e);
            writer.Complete();
        }
        string file = Directory.GetFiles(folder, "*.parquet").Single();
        var reader = DemoFile.OpenReader(file);
        try
        {
            foreach (bool fast in new[] { true, false })
            {
                var error = Assert.Throws<BadDataFileException>(() => DemoFile.ReadRowGroup(reader, file, 0, fastPath: fast));
                Assert.Equal("obs", error.Column);
                Assert.Contains("row 12 has 2,342 bytes, expected 2,352 (28x28x3", error.Message);
            }
        }
        finally { DemoFile.Close(reader); }
        Assert.NotEmpty(DataInspector.Verify(folder));
    }

    [Fact]
    public void The_commands_exit_2_or_1_on_a_wrong_length_image_and_name_the_file()
    {
        var (folder, file, group) = WriteRgbWithOneBadImage(147);
        var inspect = CliRun.Of("data", "inspect", folder).Expect(ExitCodes.UserError);
        Assert.Contains(file, inspect.Err);
        Assert.Contains($"row group {group}, column 'obs'", inspect.Err);
        Assert.Contains("2,352 bytes (28x28x3", inspect.Err);
        Assert.DoesNotContain("   at ", inspect.Err); // no stack trace without --verbose
        var verify = CliRun.Of("data", "verify", folder).Expect(ExitCodes.CheckFailed);
        Assert.Contains($"{file}: 1 problem(s)", verify.Out);
        Assert.DoesNotContain($"{file}: ok", verify.Out);
    }

    [Fact]
    public void A_symbolic_file_is_held_to_147_bytes_even_without_a_shape_in_its_metadata()
    {
        string folder = _tmp["sym"];
        var episodes = SyntheticDemos.Episodes(20, 3, minSteps: 2, maxSteps: 4);
        episodes[9] = episodes[9] with { Steps = [episodes[9].Steps[0] with { Obs = new byte[100] }, .. episodes[9].Steps[1..]] };
        SyntheticDemos.Write(folder, episodes, rowsPerGroup: 20);
        var error = Assert.Throws<BadDataFileException>(() => StreamingLoader.Open(folder));
        Assert.Contains("147 bytes", error.Message);
        Assert.Contains("column 'obs'", error.Message);
    }

    /// <summary>A valid Parquet file of the demonstration schema with no rows: no row groups, or one empty row group.</summary>
    private string WriteEmpty(string name, bool emptyRowGroup)
    {
        string folder = _tmp[name];
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "part-00001.parquet");
        using (var stream = File.Create(path))
        {
            var writer = ParquetWriter.CreateAsync(DemoSchema.Schema, stream, new ParquetOptions { CompressionMethod = CompressionMethod.Zstd }).GetAwaiter().GetResult();
            if (emptyRowGroup)
            {
                using var group = writer.CreateRowGroup();
                foreach (var f in DemoSchema.Schema.GetDataFields())
                {
                    Task write = f.Name switch
                    {
                        "level" or "mission" => group.WriteAsync(f, Array.Empty<string>()),
                        "obs" => group.WriteAsync(f, Array.Empty<byte[]>()),
                        "episode_id" or "seed" => group.WriteAsync<long>(f, Array.Empty<long>()),
                        "reward" => group.WriteAsync<float>(f, Array.Empty<float>()),
                        "done" => group.WriteAsync<bool>(f, Array.Empty<bool>()),
                        _ => group.WriteAsync<int>(f, Array.Empty<int>()),
                    };
                    write.GetAwaiter().GetResult();
                }
            }
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_valid_file_without_rows_is_reported_as_empty_not_as_undecodable(bool emptyRowGroup)
    {
        string empty = WriteEmpty(emptyRowGroup ? "one-empty-group" : "no-groups", emptyRowGroup);
        string folder = Path.GetDirectoryName(empty)!;

        var info = DemoFile.Open(empty);
        Assert.Equal(0, info.Rows);
        Assert.Equal(0, info.Episodes);
        Assert.Empty(DataInspector.Verify(folder));
        Assert.Contains("0 rows", DataInspector.Inspect(folder));
        var reader = DemoFile.OpenReader(empty);
        try
        {
            for (int g = 0; g < reader.RowGroupCount; g++) Assert.Empty(DemoFile.ReadRowGroup(reader, empty, g).Episodes);
        }
        finally { DemoFile.Close(reader); }

        // Alone it holds nothing to train on (a clear error); beside good shards it is simply empty.
        Assert.Contains("no readable episodes", Assert.Throws<UserError>(() => StreamingLoader.Open(folder)).Message);
        SyntheticDemos.Write(Path.Combine(folder, "good"), SyntheticDemos.Episodes(12, 1));
        File.Move(Path.Combine(folder, "good", "part-00000.parquet"), Path.Combine(folder, "part-00000.parquet"));
        using var loader = StreamingLoader.Open(Path.Combine(folder, "*.parquet"), new LoaderOptions { Shuffle = false });
        Assert.Equal(12, loader.EpisodesPerEpoch());
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (long)(i % 12)), SyntheticDemos.Take(loader, 24));
        Assert.Empty(DataInspector.Verify(Path.Combine(folder, "*.parquet")));
    }
}
