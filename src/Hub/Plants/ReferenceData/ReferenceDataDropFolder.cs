using Marten;
using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Infrastructure;
using Wolverine.Marten;

namespace ProductHub.Hub.Plants.ReferenceData;

/// <summary>
/// The legacy file route for ERP reference data: an ERP drops <c>{folder}/{plantCode}/*.csv</c> (the columns of
/// <see cref="ReferenceDataCsv"/>), each loaded whole or not at all. A file dropped again after a crash loads
/// again; that is harmless, since an unchanged result publishes nothing.
/// </summary>
public sealed class ReferenceDataDropFolder(
    IServiceScopeFactory scopes, IDocumentStore store, IClock clock, ILogger<ReferenceDataDropFolder> logger, string folder, TimeSpan interval)
    : DropFolderWatcher(store, folder, interval, logger)
{
    protected override IEnumerable<string> Candidates() =>
        Directory.EnumerateDirectories(Folder).SelectMany(d => Directory.EnumerateFiles(d, "*.csv"));

    protected override async Task<IReadOnlyDictionary<string, string[]>> TakeAsync(string file, CancellationToken ct)
    {
        var plantCode = Path.GetFileName(Path.GetDirectoryName(file))!;
        var (items, errors) = ReferenceDataCsv.Parse(await File.ReadAllTextAsync(file, ct));
        if (errors.Count > 0) return errors;

        await using var scope = scopes.CreateAsyncScope();
        // The outbox comes enrolled with the scope's session: the sync request commits with the data, then is sent.
        var outbox = scope.ServiceProvider.GetRequiredService<IMartenOutbox>();
        var session = outbox.Session!;
        var stream = await session.Events.FetchForWriting<Plant>(PlantStreams.Plant(plantCode), ct);
        if (stream.Aggregate is not { } plant) return new Dictionary<string, string[]> { ["plantCode"] = [$"plant {plantCode} is not known to the hub"] };

        var source = $"file {Path.GetFileName(file)}";
        var now = clock.GetCurrentInstant();
        await LoadReferenceDataDecision.Decide(plant, source, source, items, now).RecordAsync(session, stream, outbox, now);
        await session.SaveChangesAsync(ct);
        return errors;
    }
}
