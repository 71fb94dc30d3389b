namespace Workbench.Evals.Runner;

/// <summary>
/// What a result file says produced it: model name and version (<c>agent@v2</c>), or a built-in policy
/// (<c>bot</c>, <c>random</c>) with an empty version. <see cref="Spec"/> is the text a user types and the folder
/// name under evals-out/.
/// </summary>
public sealed record PolicyId(string Model, string Version)
{
    public string Spec => Version.Length == 0 ? Model : $"{Model}@{Version}";

    public override string ToString() => Spec;

    public static PolicyId Parse(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec)) throw new UserError("empty policy name; expected bot, random or name@version");
        int at = spec.IndexOf('@');
        if (at < 0) return new PolicyId(spec, "");
        if (at == 0 || at == spec.Length - 1 || spec.IndexOf('@', at + 1) >= 0)
            throw new UserError($"'{spec}': expected name@version (e.g. agent@v2)");
        return new PolicyId(spec[..at], spec[(at + 1)..]);
    }
}
