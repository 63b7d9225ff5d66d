using Marten;
using ProductHub.Hub.Api;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// The legacy file route, watched: each settled file is taken whole, then moved to <c>done/</c>, or to
/// <c>failed/</c> beside a <c>.errors.json</c> naming what was wrong, also when taking it failed in a way that would
/// repeat. A file that failed for a reason of the moment (the database down) stays where it is for the next round.
/// Of several nodes watching one (shared) folder, one at a time takes a round, so no file is taken twice.
/// </summary>
public abstract class DropFolderWatcher(IDocumentStore store, string folder, TimeSpan interval, ILogger logger) : BackgroundService
{
    /// <summary>The advisory locks of drop folders, by full path (see <see cref="AdvisoryLock"/>).</summary>
    private const int LockClass = 0x44524F50;

    protected string Folder => folder;

    protected IDocumentStore Store => store;

    /// <summary>The files waiting in the folder.</summary>
    protected abstract IEnumerable<string> Candidates();

    /// <summary>Takes one file; the errors, by field, when it is refused.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string[]>> TakeAsync(string file, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(folder);
        logger.LogInformation("Watching {Folder}", folder);
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                await AdvisoryLock.OnOneNodeAsync(store, LockClass, Path.GetFullPath(folder), () => RoundAsync(stoppingToken), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The lock (the database out of reach) or the folder's listing; each file's own failure is handled in the round.
                logger.LogWarning(e, "Could not take the round of {Folder}; will try again", folder);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task RoundAsync(CancellationToken stoppingToken)
    {
        foreach (var file in DroppedFiles.Settled(Candidates()).Order().ToList())
        {
            IReadOnlyDictionary<string, string[]> errors;
            try
            {
                errors = await TakeAsync(file, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException && MayPassLater(e))
            {
                logger.LogWarning(e, "Could not take {File}; will try again", file);
                continue;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Taking the file again would fail the same way every round: it is set aside with the reason.
                logger.LogError(e, "Could not take {File}; set aside", file);
                errors = new Dictionary<string, string[]> { ["$"] = [$"the file could not be taken: {e.Message}"] };
            }
            await SettleAsync(file, errors, stoppingToken);
        }
    }

    /// <summary>
    /// A failure that says nothing about the file: the database out of reach, another writer first, the file still
    /// locked by its writer. Anything else (PostgreSQL refusing the data, a reader failing on it) would come back.
    /// </summary>
    private static bool MayPassLater(Exception e) => DatabaseOutage.Is(e) || WriteConflict.Is(e) || e is IOException;

    private async Task SettleAsync(string file, IReadOnlyDictionary<string, string[]> errors, CancellationToken ct)
    {
        try
        {
            if (errors.Count == 0)
            {
                DroppedFiles.Move(file, "done");
                return;
            }
            await DroppedFiles.SetAsideAsync(file, errors, ct);
            logger.LogWarning("File {File} refused: {Errors}", file, errors.Keys);
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not move {File}; will try again", file);
        }
    }
}
