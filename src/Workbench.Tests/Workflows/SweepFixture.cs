namespace Workbench.Tests.Workflows;

/// <summary>A tiny sweep on disk: a 6-step experiment on generated GoToRedBallGrey demos, a 20-episode suite, demos × seeds.</summary>
internal static class SweepFixture
{
    /// <summary>Writes experiment.yaml, suite.yaml and sweep.yaml into <paramref name="dir"/>; returns the sweep file.</summary>
    public static string Write(string dir, string seeds = "[1, 2]", string demos = "[20, 40]", string extra = "")
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "experiment.yaml"), """
            kind: experiment
            name: tiny
            seed: 1
            device: cpu
            threads: 1
            data:
              sources:
                - path: bot:GoToRedBallGrey:20
              validation_episodes: 0
              validation_percent: 0
            model:
              family: transformer
              size: tiny
            train:
              steps: 6
              batch_size: 4
              warmup_steps: 2
              log_every: 1
              eval_every: 0
              checkpoint_every: 1
              keep_checkpoints: 100
            """);
        File.WriteAllText(Path.Combine(dir, "suite.yaml"), """
            kind: suite
            name: tiny-suite
            version: 1
            tasks:
              - name: grbg
                level: GoToRedBallGrey
                seeds: {start: 1000000, count: 20}
                scorers: [success, reward]
            """);
        string sweep = Path.Combine(dir, "sweep.yaml");
        File.WriteAllText(sweep, $"""
            kind: sweep
            name: tiny
            experiment: {Path.Combine(dir, "experiment.yaml")}
            seeds: {seeds}
            axes:
              - name: demos
                values: {demos}
                set: ["data.sources=[{"{"}path: 'bot:GoToRedBallGrey:{"{value}"}'{"}"}]"]
            eval:
              suite: {Path.Combine(dir, "suite.yaml")}
              metric: success_rate
              batch_size: 20
            register: tiny
            report:
              log_x: true
              threshold: 0.3
              reference:
                all: "a reference number"
            output_dir: {Path.Combine(dir, "sweeps")}
            {extra}
            """);
        return sweep;
    }
}
