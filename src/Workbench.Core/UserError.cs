namespace Workbench;

/// <summary>
/// A problem the user can fix (missing file, invalid config, bad argument). The CLI prints only the message
/// (no stack trace unless --verbose) and exits with code 2.
/// </summary>
public class UserError(string message, Exception? inner = null) : Exception(message, inner);
