using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using Npgsql;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.ChangeOrders;
using ProductHub.Hub.Security;
using ProductHub.Projections.ChangeOrders;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Plants;
using Wolverine.Http;
using Wolverine.Runtime;

namespace ProductHub.Hub.Ops;

public sealed record OpsSummary(
    Instant At,
    Backlog Backlog,
    IReadOnlyList<OldestPendingDelivery> OldestPendingDeliveries,
    IReadOnlyDictionary<string, int> OpenExceptions,
    IReadOnlyList<FailedChangeOrderStep> FailedChangeOrderSteps,
    ReleaseToErpLatency ReleaseToErpLatency,
    IReadOnlyList<PlantWithoutErpInstance> PlantsWithoutErpInstance);

public sealed record OldestPendingDelivery(
    string Instance, string DeliveryId, string PlantCode, string PartNumber, DeliveryStatus Status, Instant RequestedAt, double AgeSeconds);

public sealed record FailedChangeOrderStep(string ChangeOrder, string Step, string Instance, bool Compensation, string? Error);

/// <summary>Percentiles in milliseconds of the deliveries acknowledged within the window (null when there were none).</summary>
public sealed record ReleaseToErpLatency(int WindowHours, long Acknowledged, double? P50, double? P95, double? P99);

/// <summary>
/// The integration monitor at a glance, with the plants whose ERP instance is missing. Read from the database on each call (read models and Wolverine's
/// envelope tables), so two hubs on one database answer the same, and a restart loses nothing.
/// </summary>
[Tags("Ops")]
public static class GetOpsSummary
{
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/ops/summary", OperationId = "getOpsSummary", Summary = "The integration monitor at a glance: backlog, oldest pending, exceptions, latency")]
    [ProducesResponseType<OpsSummary>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        string? windowHours, ClaimsPrincipal user, IQuerySession session, IDocumentStore store, IWolverineRuntime wolverine, IClock clock,
        CancellationToken ct)
    {
        if (!QueryParameters.TryWhole(windowHours, nameof(windowHours), 24, 1, 24 * 90, out var hours, out var problem)) return problem!;
        var now = clock.GetCurrentInstant();
        // An ERP sees its plants' figures: their deliveries, exceptions, steps and latency; the hub's queues are counted whole.
        var scope = ReadScope.Of(user);

        var backlog = await Backlog.ReadAsync(session, wolverine, ct, scope.Plants);
        var oldest = await OldestPendingAsync(session, scope, now, ct);
        var openExceptions = (await session.Query<PlantExceptionView>().Where(e => e.Status == ExceptionStatus.Open)
                .Select(e => e.PlantCode).ToListAsync(ct))
            .Where(scope.Sees)
            .GroupBy(p => p).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        var failedSteps = await FailedStepsAsync(session, scope, ct);
        var latency = await LatencyAsync(store, (int)hours, scope.Plants, now, ct);
        var withoutErp = (await PlantsWithoutErpInstance.FindAsync(session, ct)).Where(p => scope.Sees(p.PlantCode)).ToList();
        return Results.Ok(new OpsSummary(now, backlog, oldest, openExceptions, failedSteps, latency, withoutErp));
    }

    /// <summary>Per instance, the delivery waiting longest: one small query each, batched in one round trip.</summary>
    private static async Task<IReadOnlyList<OldestPendingDelivery>> OldestPendingAsync(
        IQuerySession session, ReadScope scope, Instant now, CancellationToken ct)
    {
        var pending = session.Query<DeliveryView>().Where(Pending);
        if (scope.Plants is { } plants) pending = pending.Where(d => d.PlantCode.IsOneOf(plants));
        var instances = await pending.Select(d => d.Instance).Distinct().ToListAsync(ct);
        if (instances.Count == 0) return [];
        var batch = session.CreateBatchQuery();
        var lookups = instances.Order(StringComparer.Ordinal)
            .Select(i => Backlog.DeliveriesOf(batch, scope.Plants).Where(Pending).Where(d => d.Instance == i).OrderBy(d => d.RequestedAt).FirstOrDefault())
            .ToList();
        await batch.Execute(ct);
        var oldest = new List<OldestPendingDelivery>();
        foreach (var lookup in lookups)
        {
            if (await lookup is not { } d) continue;
            oldest.Add(new OldestPendingDelivery(
                d.Instance, d.DeliveryId, d.PlantCode, d.PartNumber, d.Status, d.RequestedAt, (now - d.RequestedAt).TotalSeconds));
        }
        return oldest;
    }

    private static readonly System.Linq.Expressions.Expression<Func<DeliveryView, bool>> Pending = d =>
        d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Failed;

    private static async Task<IReadOnlyList<FailedChangeOrderStep>> FailedStepsAsync(IQuerySession session, ReadScope scope, CancellationToken ct)
    {
        var hidden = await scope.HiddenInstancesAsync(session, ct);
        var changeOrders = (await session.Query<ChangeOrderView>()
            .Where(c => c.Steps.Any(s => s.Forward.Status == StepStatus.Failed || s.Compensation.Status == StepStatus.Failed))
            .OrderBy(c => c.Id).ToListAsync(ct)).Select(c => ChangeOrderEndpoints.ForCaller(c, scope, hidden));
        return changeOrders.SelectMany(c => c.Steps.SelectMany(s => new[] { (Side: s.Forward, Compensation: false), (Side: s.Compensation, Compensation: true) }
                .Where(x => x.Side.Status == StepStatus.Failed)
                .Select(x => new FailedChangeOrderStep(c.Number, s.Plan.Name, s.Plan.Instance, x.Compensation, x.Side.LastError))))
            .ToList();
    }

    /// <summary>PostgreSQL computes the percentiles over the delivery read model: no figure depends on this process's memory.</summary>
    private static async Task<ReleaseToErpLatency> LatencyAsync(IDocumentStore store, int hours, string[]? plants, Instant now, CancellationToken ct)
    {
        var table = store.Options.Schema.For<DeliveryView>();
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"""
             select count(*), percentile_cont(array[0.5, 0.95, 0.99]) within group (order by (data ->> 'latencyMilliseconds')::float8)
             from {table}
             where data ->> 'latencyMilliseconds' is not null and (data ->> 'acknowledgedAt')::timestamptz >= @since
               and (@plants::text[] is null or data ->> 'plantCode' = any(@plants))
             """, connection);
        command.Parameters.AddWithValue("since", (now - Duration.FromHours(hours)).ToDateTimeUtc());
        command.Parameters.Add(new NpgsqlParameter("plants", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)plants ?? DBNull.Value });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var count = reader.GetInt64(0);
        var percentiles = reader.IsDBNull(1) ? null : reader.GetFieldValue<double[]>(1);
        return new ReleaseToErpLatency(hours, count, percentiles?[0], percentiles?[1], percentiles?[2]);
    }
}
