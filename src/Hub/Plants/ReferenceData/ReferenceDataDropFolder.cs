using System.Text.Json;
using Marten;
using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Plants.Publishing;
using ProductHub.Projections.Plants;
using Wolverine.Marten;

namespace ProductHub.Hub.Plants.ReferenceData;

/// <summary>
/// The legacy file route for ERP reference data: an ERP drops <c>{folder}/{plantCode}/*.csv</c> (the columns of
/// <see cref="ReferenceDataCsv"/>). Each file is loaded whole or not at all, then moved to <c>done/</c>, or to
/// <c>failed/</c> beside a <c>.errors.json</c> that names each bad field by line. A file dropped again after a
/// crash loads again; that is harmless, since an unchanged result publishes nothing.
/// </summary>
public sealed class ReferenceDataDropFolder(
    IServiceScopeFactory scopes, IClock clock, ILogger<ReferenceDataDropFolder> logger, string folder, TimeSpan interval)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(folder);
        logger.LogInformation("Watching {Folder}/<plant>/*.csv for ERP reference data", folder);
        using var timer = new PeriodicTimer(interval);
        do
        {
            foreach (var file in DroppedFiles.Settled(Directory.EnumerateDirectories(folder).SelectMany(d => Directory.EnumerateFiles(d, "*.csv"))).Order())
            {
                try
                {
                    await LoadAsync(file, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Left in place: the next round tries again (the database may be down for a moment).
                    logger.LogWarning(e, "Could not load reference data file {File}; will try again", file);
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task LoadAsync(string file, CancellationToken ct)
    {
        var plantCode = Path.GetFileName(Path.GetDirectoryName(file))!;
        var (items, errors) = ReferenceDataCsv.Parse(await File.ReadAllTextAsync(file, ct));

        await using var scope = scopes.CreateAsyncScope();
        // The outbox comes enrolled with the scope's session: the sync request commits with the data, then is sent.
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        var session = outbox.Session!;
        var stream = await session.Events.FetchForWriting<PlantView>(PlantStreams.Plant(plantCode), ct);
        if (stream.Aggregate is null) errors = new Dictionary<string, string[]> { ["plantCode"] = [$"plant {plantCode} is not known to the hub"] };
        if (errors.Count > 0)
        {
            var failed = Move(file, "failed");
            await File.WriteAllTextAsync(failed + ".errors.json", JsonSerializer.Serialize(errors, new JsonSerializerOptions { WriteIndented = true }), ct);
            logger.LogWarning("Reference data file {File} refused: {Errors}", file, errors.Keys);
            return;
        }

        var loaded = new ReferenceDataLoaded(plantCode, $"file {Path.GetFileName(file)}", items, clock.GetCurrentInstant());
        stream.AppendOne(loaded);
        await outbox.PublishAsync(new SyncPlant(plantCode, items.Select(i => i.PartNumber).Distinct().ToList(), loaded.Source));
        await session.SaveChangesAsync(ct);
        Move(file, "done");
        logger.LogInformation("Loaded {Count} reference data rows for plant {Plant} from {File}", items.Count, plantCode, file);
    }

    private static string Move(string file, string into)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(file)!, into)).FullName;
        var target = Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(file)}.{DateTime.UtcNow:yyyyMMddHHmmssfff}{Path.GetExtension(file)}");
        File.Move(file, target);
        return target;
    }
}
