using Marten;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Observability;
using ProductHub.Projections.Erp;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>
/// Watches the ack folder of every file-channel ERP instance: <c>{idempotencyKey}.ack</c> (the ERP's reference
/// inside) acknowledges that delivery and moves to <c>processed/</c>; an ack for no known delivery moves to
/// <c>unknown/</c>, one whose reference the hub cannot store to <c>failed/</c> with the reason, rather than stopping the watch.
/// Of several nodes, one at a time scans, so an acknowledgement is recorded and moved by one node only.
/// </summary>
public sealed class AckFolderWatcher(IServiceScopeFactory scopes, IClock clock, ILogger<AckFolderWatcher> logger, TimeSpan interval)
    : BackgroundService
{
    /// <summary>The advisory lock of the scan, apart from the other background workers' (see <see cref="AdvisoryLock"/>).</summary>
    private const int LockClass = 0x41434B31;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
                await AdvisoryLock.OnOneNodeAsync(store, LockClass, "ack folders", () => ScanAsync(scope.ServiceProvider, store, stoppingToken), stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Scanning ERP ack folders failed; will try again");
            }
        }
    }

    private async Task ScanAsync(IServiceProvider services, IDocumentStore store, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var folders = (await query.Query<ErpInstanceView>().ToListAsync(ct))
            .Select(i => i.Configuration.File?.AckFolder).OfType<string>().Distinct().Where(Directory.Exists);
        foreach (var ack in DroppedFiles.Settled(folders.SelectMany(f => Directory.EnumerateFiles(f, "*" + FileErpChannel.AckExtension))).ToList())
        {
            var key = Path.GetFileNameWithoutExtension(ack);
            if (key.Length != 64)
            {
                DroppedFiles.Move(ack, "unknown");
                continue;
            }
            var reference = (await File.ReadAllTextAsync(ack, ct)).Trim();
            if (IntakeLimits.TextProblem(reference) is { } problem)
            {
                await DroppedFiles.SetAsideAsync(ack, new Dictionary<string, string[]> { ["reference"] = [problem] }, ct);
                logger.LogWarning("Acknowledgement {File} refused: {Problem}", ack, problem);
                continue;
            }
            await using var session = store.LightweightSession();
            var (outcome, _) = await DeliveryAcknowledgements.RecordAsync(
                session, services.GetRequiredService<HubMetrics>(), ErpStreams.DeliveryId(key),
                reference.Length > 0 ? reference : null, delivery => delivery.IdempotencyKey == key, clock.GetCurrentInstant(), ct);
            // A conflict (the delivery changed meanwhile) leaves the file for the next round.
            if (outcome == AcknowledgementOutcome.Conflict) continue;
            DroppedFiles.Move(ack, outcome is AcknowledgementOutcome.UnknownDelivery or AcknowledgementOutcome.NotAllowed ? "unknown" : "processed");
            if (outcome == AcknowledgementOutcome.Duplicate) logger.LogInformation("Duplicate acknowledgement {File} recorded once", ack);
        }
    }
}
