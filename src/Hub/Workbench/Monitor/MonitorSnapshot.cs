using Marten;
using NodaTime;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Feed;
using ProductHub.Hub.Ops;
using ProductHub.Projections.ChangeOrders;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Plants;

namespace ProductHub.Hub.Workbench.Monitor;

public sealed record InstanceDeliveries(string Instance, IReadOnlyDictionary<DeliveryStatus, int> ByStatus);

public sealed record LatencyPoint(Instant AcknowledgedAt, double Milliseconds);

/// <summary>What the monitor shows at one moment, read from the delivery, exception, change order, plant and ERP instance projections.</summary>
public sealed record MonitorSnapshot(
    Instant TakenAt,
    int Backlog,
    Instant? OldestPending,
    IReadOnlyList<InstanceDeliveries> Deliveries,
    IReadOnlyList<LatencyPoint> Latency,
    IReadOnlyList<KeyValuePair<string, int>> OpenExceptionsByPlant,
    IReadOnlyList<ChangeOrderView> ChangeOrdersInFlight,
    IReadOnlyList<WithheldEvent> WithheldEvents,
    int WithheldTotal,
    IReadOnlyList<PlantWithoutErpInstance> PlantsWithoutErpInstance)
{
    /// <summary>The latest acknowledgements the chart plots; older ones are in the metrics.</summary>
    public const int LatencyPoints = 200;

    /// <summary>The withheld events listed; all of them are at <c>/api/v1/feed/withheld</c>.</summary>
    public const int WithheldShown = 20;

    public static bool IsWaiting(DeliveryStatus status) =>
        status is DeliveryStatus.Pending or DeliveryStatus.Sent or DeliveryStatus.Failed;

    public static async Task<MonitorSnapshot> TakeAsync(IQuerySession session, Instant now, CancellationToken ct)
    {
        var deliveries = await session.Query<DeliveryView>()
            .Select(d => new { d.Instance, d.Status, d.RequestedAt })
            .ToListAsync(ct);
        var waiting = deliveries.Where(d => IsWaiting(d.Status)).ToList();
        var byInstance = deliveries.GroupBy(d => d.Instance).OrderBy(g => g.Key)
            .Select(g => new InstanceDeliveries(g.Key, g.GroupBy(d => d.Status).ToDictionary(s => s.Key, s => s.Count())))
            .ToList();

        var latency = (await session.Query<DeliveryView>()
                .Where(d => d.Status == DeliveryStatus.Acknowledged && d.LatencyMilliseconds != null)
                .OrderByDescending(d => d.AcknowledgedAt).Take(LatencyPoints)
                .Select(d => new { d.AcknowledgedAt, d.LatencyMilliseconds })
                .ToListAsync(ct))
            .Select(d => new LatencyPoint(d.AcknowledgedAt!.Value, d.LatencyMilliseconds!.Value))
            .OrderBy(p => p.AcknowledgedAt).ToList();

        var openExceptions = (await session.Query<PlantExceptionView>()
                .Where(e => e.Status == ExceptionStatus.Open).Select(e => e.PlantCode).ToListAsync(ct))
            .GroupBy(p => p).OrderBy(g => g.Key).Select(g => KeyValuePair.Create(g.Key, g.Count())).ToList();

        var inFlight = await session.Query<ChangeOrderView>()
            .Where(c => c.State == ChangeOrderState.InProgress || c.State == ChangeOrderState.Compensating ||
                        c.State == ChangeOrderState.NeedsAttention)
            .OrderBy(c => c.Number).ToListAsync(ct);

        var withheld = await session.Query<WithheldEvent>().OrderBy(e => e.Id).Take(WithheldShown).ToListAsync(ct);
        var withheldTotal = withheld.Count < WithheldShown ? withheld.Count : await session.Query<WithheldEvent>().CountAsync(ct);

        return new MonitorSnapshot(
            now, waiting.Count, waiting.Count == 0 ? null : waiting.Min(d => d.RequestedAt), byInstance, latency, openExceptions, [.. inFlight],
            [.. withheld], withheldTotal, await Ops.PlantsWithoutErpInstance.FindAsync(session, ct));
    }
}
