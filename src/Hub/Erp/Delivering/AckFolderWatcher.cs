using Marten;
using NodaTime;
using ProductHub.Adapters.Erp;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Observability;
using ProductHub.Projections.Erp;

namespace ProductHub.Hub.Erp.Delivering;

/// <summary>
/// Watches the ack folder of every file-channel ERP instance: <c>{idempotencyKey}.ack</c> (the ERP's reference
/// inside) acknowledges that delivery and moves to <c>processed/</c>; an ack for no known delivery moves to
/// <c>unknown/</c> rather than stopping the watch.
/// </summary>
public sealed class AckFolderWatcher(IServiceScopeFactory scopes, IClock clock, ILogger<AckFolderWatcher> logger, TimeSpan interval)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ScanAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Scanning ERP ack folders failed; will try again");
            }
        }
    }

    private async Task ScanAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IDocumentStore>();
        await using var query = store.QuerySession();
        var folders = (await query.Query<ErpInstanceView>().ToListAsync(ct))
            .Select(i => i.Configuration.File?.AckFolder).OfType<string>().Distinct().Where(Directory.Exists);
        foreach (var ack in DroppedFiles.Settled(folders.SelectMany(f => Directory.EnumerateFiles(f, "*" + FileErpChannel.AckExtension))).ToList())
        {
            var key = Path.GetFileNameWithoutExtension(ack);
            if (key.Length != 64)
            {
                Move(ack, "unknown");
                continue;
            }
            var reference = (await File.ReadAllTextAsync(ack, ct)).Trim();
            await using var session = store.LightweightSession();
            var delivery = await session.LoadAsync<DeliveryView>(ErpStreams.Delivery(ErpStreams.DeliveryId(key)), ct);
            var duplicate = delivery is not null && DeliveryAcknowledgements.Record(
                session, scope.ServiceProvider.GetRequiredService<HubMetrics>(), delivery, reference.Length > 0 ? reference : null, clock.GetCurrentInstant());
            await session.SaveChangesAsync(ct);
            Move(ack, delivery is null || delivery.IdempotencyKey != key ? "unknown" : "processed");
            if (duplicate) logger.LogInformation("Duplicate acknowledgement {File} recorded once", ack);
        }
    }

    private static void Move(string file, string into)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(file)!, into)).FullName;
        File.Move(file, Path.Combine(folder, $"{Path.GetFileName(file)}.{DateTime.UtcNow:yyyyMMddHHmmssfff}"));
    }
}
