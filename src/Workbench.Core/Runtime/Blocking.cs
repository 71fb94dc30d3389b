namespace Workbench.Runtime;

/// <summary>
/// The one place where synchronous code waits for asynchronous file I/O. Parquet.Net 6 is async-only, while the
/// stages that read and write result tables (the lockstep eval runner, report and history writers, the CLI's
/// commands) are synchronous CPU-bound code — TorchSharp and the rollout loop have no async API. The record files
/// (<c>EpisodeRecordFile</c>, <c>NightlyHistory</c>, comparison tables) are async all the way and offer their
/// synchronous form through here. The work runs on the thread pool, so waiting cannot deadlock even under a
/// SynchronizationContext (a notebook kernel, a UI), and the original exception is rethrown, not an AggregateException.
/// </summary>
public static class Blocking
{
    public static T Wait<T>(Func<Task<T>> work) => Task.Run(work).GetAwaiter().GetResult();

    public static void Wait(Func<Task> work) => Task.Run(work).GetAwaiter().GetResult();
}
