using System.Text.Json;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// The legacy file route, watched: each settled file is taken whole, then moved to <c>done/</c>, or to
/// <c>failed/</c> beside a <c>.errors.json</c> naming what was wrong. A file that could not be handled at all (the
/// database down for a moment) stays where it is for the next round.
/// </summary>
public abstract class DropFolderWatcher(string folder, TimeSpan interval, ILogger logger) : BackgroundService
{
    protected string Folder => folder;

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
            foreach (var file in DroppedFiles.Settled(Candidates()).Order().ToList())
            {
                try
                {
                    var errors = await TakeAsync(file, stoppingToken);
                    var moved = Move(file, errors.Count == 0 ? "done" : "failed");
                    if (errors.Count == 0) continue;
                    await File.WriteAllTextAsync(moved + ".errors.json",
                        JsonSerializer.Serialize(errors, new JsonSerializerOptions { WriteIndented = true }), stoppingToken);
                    logger.LogWarning("File {File} refused: {Errors}", file, errors.Keys);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning(e, "Could not take {File}; will try again", file);
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private static string Move(string file, string into)
    {
        var target = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(file)!, into)).FullName;
        var moved = Path.Combine(target, $"{Path.GetFileNameWithoutExtension(file)}.{DateTime.UtcNow:yyyyMMddHHmmssfff}{Path.GetExtension(file)}");
        File.Move(file, moved);
        return moved;
    }
}
