using System.Text.Json;
using System.Text.RegularExpressions;
using Workbench.Cli;
using Workbench.Tests.Cli;
using Workbench.Config;
using Workbench.Envs;
using Workbench.Evals;
using Workbench.Evals.Records;
using Workbench.Evals.Runner;
using Workbench.Reporting;
using Workbench.Rollouts;
using Workbench.Runtime;
using Workbench.Training;
using Workbench.Workflows;

namespace Workbench.Tests.Evals;

/// <summary>
/// Three real training runs for the provenance tests: two tiny transformers (different seeds, so different weights)
/// and a tiny FiLM model; a fresh registry per test registers them as it needs.
/// </summary>
public sealed class TrainedRuns
{
    public string Dir { get; } = TestSupport.TempDir();
    public string Transformer { get; }
    public string OtherTransformer { get; }
    public string Film { get; }

    public TrainedRuns()
    {
        TestSupport.SingleThread();
        Transformer = Train("a", "seed=3");
        OtherTransformer = Train("b", "seed=4");
        Film = Train("c", "model.family=babyai_film");
    }

    private string Train(string name, string overrides)
    {
        string dir = Path.Combine(Dir, name);
        Directory.CreateDirectory(dir);
        using var recipe = BehaviourCloningRecipe.Start(TestSupport.Experiment(dir, overrides), TestSupport.Quiet(dir));
        return recipe.Train().RunDir;
    }
}

/// <summary>
/// Results know what produced them (checkpoint, suite content, code), and compare, report, nightly and eval --baseline
/// refuse — naming both hashes — or re-run when asked, once the registry or the suite no longer match them.
/// </summary>
[Collection(TorchCollection.Name)]
public class ProvenanceTests(TrainedRuns runs) : IClassFixture<TrainedRuns>
{
    private readonly string _dir = TestSupport.TempDir();
    private string Registry => Path.Combine(_dir, "registry");
    private string Results => Path.Combine(_dir, "evals-out");

    // The shipped over-refusal suite with 6 seeds (bot, random and models all run it in a second).
    private LoadedSuite Suite(string description = "")
    {
        string text = Regex.Replace(File.ReadAllText(Path.Combine(RepoRoot.Path, "evals", "safety", "over-refusal.yaml")), @"count: \d+", "count: 6");
        if (description.Length > 0) text = Regex.Replace(text, "description: .*", "description: " + description);
        string path = Path.Combine(_dir, "over-refusal.yaml");
        File.WriteAllText(path, text);
        return Evaluation.LoadSuite(path);
    }

    private ModelVersion Register(string run, bool force = false) => ModelVersions.Register(run, "agent", "v1", Registry, force);

    private IReadOnlyList<EpisodeRecord> Eval(LoadedSuite suite, string spec)
    {
        var id = PolicyId.Parse(spec);
        using var policy = PolicyResolvers.Create(id, Registry);
        return Evaluation.Run(suite, policy, id, new EvalRunOptions
        {
            OutputPath = Evaluation.ResultPath(spec, suite.Suite.Name, root: Results), ProgressWriter = TextWriter.Null,
        }).Run.Records;
    }

    private ResultsOptions Stored(bool rerun = false) => new() { Root = Results, RegistryRoot = Registry, RunIfMissing = rerun, RerunIfStale = rerun };

    [Fact]
    public void Every_result_file_records_the_checkpoint_the_suite_content_and_the_code_commit()
    {
        var version = Register(runs.Transformer);
        var suite = Suite();
        var records = Eval(suite, "agent@v1");

        Assert.Equal(FileSha256.Of(Path.Combine(Registry, "agent", "v1", "model.ckpt")), version.CheckpointSha256);
        var read = EpisodeRecordFile.Read(Evaluation.ResultPath("agent@v1", "over-refusal", root: Results));
        Assert.Equal(records.Count, read.Count);
        Assert.All(read, r => Assert.Equal(new Provenance(version.CheckpointSha256!, suite.Sha256, Provenance.CurrentCommit()), r.Provenance));
        Assert.Matches("^[0-9a-f]{40}(-dirty)?$|^unknown$", read[0].CodeCommit);
        Assert.All(Eval(suite, "bot"), r => Assert.Equal("", r.CheckpointSha256));

        using var summary = JsonDocument.Parse(File.ReadAllText(Evaluation.SummaryPath(Evaluation.ResultPath("agent@v1", "over-refusal", root: Results))));
        Assert.Equal(version.CheckpointSha256, summary.RootElement.GetProperty("checkpoint_sha256").GetString());
        Assert.Equal(suite.Sha256, summary.RootElement.GetProperty("suite_sha256").GetString());
        Assert.Equal(Provenance.CurrentCommit(), summary.RootElement.GetProperty("code_commit").GetString());
        var estimate = summary.RootElement.GetProperty("estimates").EnumerateArray().First(e => e.GetProperty("metric").GetString() == "over_refusal_rate");
        Assert.Equal("proportion", estimate.GetProperty("unit").GetString());
        Assert.Equal("LowerIsBetter", estimate.GetProperty("direction").GetString());
        Assert.Equal("Safety", estimate.GetProperty("group").GetString());
    }

    [Fact]
    public void An_interrupted_run_keeps_its_provenance_in_the_journal_and_a_re_registered_version_does_not_resume_it()
    {
        var first = Register(runs.Transformer);
        var suite = Suite();
        var id = PolicyId.Parse("agent@v1");
        string output = Evaluation.ResultPath(id.Spec, suite.Suite.Name, root: Results);
        using (var policy = PolicyResolvers.Create(id, Registry))
        using (var crashing = new CrashingModelPolicy(policy, crashAfterCalls: 3))
            Assert.Throws<SimulatedCrash>(() => Evaluation.Run(suite, crashing, id, new EvalRunOptions { OutputPath = output, BatchSize = 2, ProgressWriter = TextWriter.Null }));

        var header = JsonSerializer.Deserialize<JournalHeader>(File.ReadLines(EpisodeJournal.PathFor(output)).First(), EpisodeJournal.Json)!;
        Assert.Equal(first.CheckpointSha256, header.CheckpointSha256);
        Assert.Equal(suite.Sha256, header.SuiteSha256);
        Assert.Equal(Provenance.CurrentCommit(), header.CodeCommit);

        var second = Register(runs.OtherTransformer, force: true);
        var e = Assert.Throws<UserError>(() => Eval(suite, "agent@v1"));
        Assert.Contains("journal of another run", e.Message);
        Assert.Contains(first.CheckpointSha256![..16], e.Message);
        Assert.Contains(second.CheckpointSha256![..16], e.Message);
        Assert.Contains("--fresh", e.Message);
    }

    [Fact]
    public void Compare_refuses_results_of_an_earlier_registration_naming_both_hashes_and_reruns_when_asked()
    {
        var first = Register(runs.Transformer);
        var suite = Suite();
        Eval(suite, "agent@v1");
        Eval(suite, "bot");
        Assert.NotEmpty(Evaluation.Compare(suite, "bot", "agent@v1", Stored()).Rows);

        var second = Register(runs.OtherTransformer, force: true); // models register --force: same name@version, other weights
        Assert.NotEqual(first.CheckpointSha256, second.CheckpointSha256);
        var e = Assert.Throws<UserError>(() => Evaluation.Compare(suite, "bot", "agent@v1", Stored()));
        Assert.Contains(first.CheckpointSha256![..16], e.Message);
        Assert.Contains(second.CheckpointSha256![..16], e.Message);
        Assert.Contains("--rerun", e.Message);

        var rerun = Evaluation.Compare(suite, "bot", "agent@v1", Stored(rerun: true));
        Assert.NotEmpty(rerun.Rows);
        Assert.All(Evaluation.LoadResults("agent@v1", suite, Stored()), r => Assert.Equal(second.CheckpointSha256, r.CheckpointSha256));
    }

    [Fact]
    public void Report_refuses_stale_results_and_reruns_them_when_asked()
    {
        Register(runs.Transformer);
        var suite = Suite();
        Eval(suite, "agent@v1");
        Eval(suite, "bot");
        var second = Register(runs.OtherTransformer, force: true);
        VersionReportRequest Request(bool rerun) => new()
        {
            Suites = [suite.File], Baseline = "bot", Candidate = "agent@v1", Output = Path.Combine(_dir, "report"),
            ResultsRoot = Results, RegistryRoot = Registry, Rerun = rerun,
        };

        var e = Assert.Throws<UserError>(() => VersionReport.Write(Request(rerun: false)));
        Assert.Contains(second.CheckpointSha256![..16], e.Message);
        Assert.False(File.Exists(Path.Combine(_dir, "report", "index.html")));

        var files = VersionReport.Write(Request(rerun: true));
        Assert.Contains(second.CheckpointSha256[..16], File.ReadAllText(files.Html));
    }

    [Fact]
    public void Eval_baseline_refuses_a_stale_baseline_and_reruns_it_when_asked()
    {
        Register(runs.Transformer);
        var suite = Suite();
        var missing = Evaluation.LoadOrRunBaseline(suite, "agent@v1", Stored()); // missing: run, as eval --baseline always did
        var first = missing[0].CheckpointSha256;
        var second = Register(runs.OtherTransformer, force: true);

        var e = Assert.Throws<UserError>(() => Evaluation.LoadOrRunBaseline(suite, "agent@v1", Stored()));
        Assert.Contains(first[..16], e.Message);
        Assert.Contains(second.CheckpointSha256![..16], e.Message);
        Assert.All(Evaluation.LoadOrRunBaseline(suite, "agent@v1", Stored() with { RerunIfStale = true }),
            r => Assert.Equal(second.CheckpointSha256, r.CheckpointSha256));
    }

    [Fact]
    public void Nightly_refuses_to_resume_a_journal_of_another_checkpoint_and_fresh_runs_it_again()
    {
        var version = Register(runs.Transformer);
        var suite = Suite();
        var night = new DateOnly(2026, 11, 23);
        string nightRoot = Path.Combine(Results, "nightly", "2026-11-23");
        // An interrupted night of an earlier registration of agent@v1 left its journal behind.
        string journal = EpisodeJournal.PathFor(Evaluation.ResultPath("agent@v1", suite.Suite.Name, root: nightRoot));
        using (EpisodeJournal.Open(journal, new JournalHeader(suite.Suite.Name, suite.Suite.Version, suite.Sha256, "agent@v1", Shard.All.ToString(),
                   new string('0', 64), "old"))) { }
        string configPath = Path.Combine(_dir, "nightly.yaml");
        File.WriteAllText(configPath, $"""
            kind: nightly
            candidate: agent@v1
            baseline: bot
            suites: ["{suite.File}"]
            output_dir: "{Path.Combine(_dir, "reports")}"
            """);
        var config = ConfigLoader.Load<NightlyConfig>(configPath);

        var e = Assert.Throws<UserError>(() => NightlyRun.Run(config, night, Results, registryRoot: Registry));
        Assert.Contains("0000000000000000", e.Message);
        Assert.Contains(version.CheckpointSha256![..16], e.Message);

        var outcome = NightlyRun.Run(config, night, Results, registryRoot: Registry, fresh: true);
        Assert.True(File.Exists(outcome.Report.Html));
        Assert.All(EpisodeRecordFile.Read(Evaluation.ResultPath("agent@v1", suite.Suite.Name, root: nightRoot)),
            r => Assert.Equal(version.CheckpointSha256, r.CheckpointSha256));
    }

    [Fact]
    public void A_changed_suite_is_refused_by_compare_with_exit_2_naming_both_hashes()
    {
        var suite = Suite();
        foreach (string policy in new[] { "bot", "random" })
            CliRun.Of("eval", suite.File, "--policy", policy, "--quiet", "--results-root", Results).Expect(ExitCodes.Ok);
        var compare = new[] { "compare", "bot", "random", "--suite", suite.File, "--results-root", Results, "--out", Path.Combine(_dir, "cmp") };
        CliRun.Of(compare).Expect(ExitCodes.Ok);

        // Other suite content (the description changed): same name and version, another resolved sha256.
        var edited = Suite("the same tasks, described differently");
        Assert.NotEqual(suite.Sha256, edited.Sha256);
        var refused = CliRun.Of(compare).Expect(ExitCodes.UserError);
        Assert.Contains(suite.Sha256[..16], refused.Err);
        Assert.Contains(edited.Sha256[..16], refused.Err);
        Assert.DoesNotContain("   at ", refused.Err);

        // The same suite with other --episodes is other content too; --rerun runs both policies again on it.
        Assert.Contains("--episodes", CliRun.Of([.. compare, "--episodes", "2"]).Expect(ExitCodes.UserError).Err);
        CliRun.Of([.. compare, "--episodes", "2", "--rerun"]).Expect(ExitCodes.Ok);
        Assert.Equal(suite.Suite.Tasks.Count * 6 * 2, EpisodeRecordFile.Read(Evaluation.ResultPath("random", "over-refusal", root: Results)).Count);
    }

    [Fact]
    public void A_version_whose_checkpoint_holds_another_architecture_is_refused_not_evaluated()
    {
        Register(runs.Transformer);
        var film = ModelVersions.Register(runs.Film, "film", "v1", Registry);
        // A FiLM checkpoint copied over the transformer's.
        File.Copy(film.Checkpoint, Path.Combine(Registry, "agent", "v1", "model.ckpt"), overwrite: true);

        var e = Assert.Throws<UserError>(() => PolicyResolvers.Create(PolicyId.Parse("agent@v1"), Registry));
        Assert.Contains("babyai_film/tiny", e.Message);
        Assert.Contains("transformer/tiny", e.Message);
        Assert.Contains("--force", e.Message);
        Assert.Throws<UserError>(() => ModelVersions.Resolve("agent@v1", Registry));
    }

    [Fact]
    public void A_checkpoint_replaced_by_another_of_the_same_architecture_is_refused_by_its_hash()
    {
        var version = Register(runs.Transformer);
        var other = ModelVersions.Register(runs.OtherTransformer, "other", "v1", Registry);
        File.Copy(other.Checkpoint, version.Checkpoint, overwrite: true);

        var e = Assert.Throws<UserError>(() => PolicyResolvers.Create(PolicyId.Parse("agent@v1"), Registry));
        Assert.Contains(version.CheckpointSha256!, e.Message);
        Assert.Contains(other.CheckpointSha256!, e.Message);
    }

    [Fact]
    public void A_result_file_written_before_provenance_is_refused_with_what_to_do()
    {
        // The 21 columns an older Workbench wrote, without checkpoint_sha256, suite_sha256 and code_commit.
        string[] provenance = ["checkpoint_sha256", "suite_sha256", "code_commit"];
        var schema = new Parquet.Schema.ParquetSchema(EpisodeRecordFile.Schema.DataFields.Where(f => !provenance.Contains(f.Name)).ToArray<Parquet.Schema.Field>());
        var json = JsonSerializer.SerializeToElement(Eval(Suite(), "bot")[0]);
        var row = schema.DataFields.ToDictionary(f => f.Name, f => (object?)(json.GetProperty(f.Name) switch
        {
            { ValueKind: JsonValueKind.String } v => v.GetString()!,
            { ValueKind: JsonValueKind.True or JsonValueKind.False } v => v.GetBoolean(),
            { ValueKind: JsonValueKind.Null } => null,
            var v when f.ClrType == typeof(long) => v.GetInt64(),
            var v when f.ClrType == typeof(float) => v.GetSingle(),
            var v when f.ClrType == typeof(double) => v.GetDouble(),
            var v => v.GetInt32(),
        }));
        string path = Path.Combine(_dir, "old.parquet");
        using (var stream = File.Create(path))
            Blocking.Wait(() => Parquet.Serialization.ParquetSerializer.SerializeUntypedAsync([row], schema, stream));

        var e = Assert.Throws<UserError>(() => EpisodeRecordFile.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("before results recorded their provenance", e.Message);
        Assert.Contains("re-run", e.Message);
    }

    [Fact]
    public void Shards_of_different_checkpoints_do_not_merge()
    {
        var suite = Suite();
        var records = Eval(suite, "bot");
        string a = Path.Combine(_dir, "a.parquet"), b = Path.Combine(_dir, "b.parquet");
        EpisodeRecordFile.Write(a, records.Take(3).ToList(), new ResultFileInfo("1/2", suite.Sha256, "bot"));
        EpisodeRecordFile.Write(b, records.Skip(3).Select(r => r with { CheckpointSha256 = new string('f', 64) }).ToList(), new ResultFileInfo("2/2", suite.Sha256, "bot"));
        var e = Assert.Throws<UserError>(() => Evaluation.Merge([a, b], Path.Combine(_dir, "merged.parquet")));
        Assert.Contains("ffffffffffffffff", e.Message);
    }

    [Fact]
    public void Result_files_keep_the_documented_columns_in_order_plus_the_provenance_columns()
    {
        var fields = EpisodeRecordFile.Schema.DataFields;
        Assert.Equal(
            ["model", "version", "suite", "suite_version", "task", "level", "seed", "episode", "env_seed", "success", "reward", "steps", "unsafe",
             "refused", "latency_ms", "wall_ms", "mission", "actions", "bot_steps", "target_class", "reached_class", "first_faced_class", "harm_attempted",
             "checkpoint_sha256", "suite_sha256", "code_commit"],
            fields.Select(f => f.Name));
        string Type(Parquet.Schema.DataField f) => (f.ClrType == typeof(ReadOnlyMemory<char>) ? "string" : f.ClrType.Name) + (f.IsNullable ? "?" : "");
        Assert.Equal(
            ["string", "string", "string", "Int32", "string", "string", "Int64", "Int32", "Int64", "Boolean", "Single", "Int32", "Boolean",
             "Boolean", "Double", "Double", "string", "string", "Int32?", "Int32?", "Int32?", "Int32?", "Boolean?", "string", "string", "string"],
            fields.Select(Type));
    }

    /// <summary>A model policy that crashes after some calls and still says which checkpoint it holds.</summary>
    private sealed class CrashingModelPolicy(IPolicy inner, int crashAfterCalls) : IPolicy, IModelInfo
    {
        private readonly CrashingPolicy _crashing = new(inner, crashAfterCalls);
        public string Name => inner.Name;
        public ObservationSpec Observes => inner.Observes;
        public long? Parameters => (inner as IModelInfo)?.Parameters;
        public double? FlopsPerAction => (inner as IModelInfo)?.FlopsPerAction;
        public string? CheckpointSha256 => (inner as IModelInfo)?.CheckpointSha256;
        public void Reset(int slots) => _crashing.Reset(slots);
        public void ResetSlot(int slot) => _crashing.ResetSlot(slot);
        public AgentAction[] Act(IReadOnlyList<int> slots, IReadOnlyList<Observation> observations, IReadOnlyList<GridEnv> envs) =>
            _crashing.Act(slots, observations, envs);
        public void Dispose() { }
    }
}
