using System.Text.Json;
using NodaTime;

namespace ProductHub.Domain.Status;

// What operations report back about a part (ERP, MES, QMS, suppliers), recorded on the part's own stream so
// that a part's history shows its engineering and its operational life together.

/// <summary>The facts every status report carries: who reported what, where, when it happened, and its own id.</summary>
public interface IStatusReported
{
    string EventId { get; }
    string Source { get; }
    string PlantCode { get; }
    string PartNumber { get; }
    string Revision { get; }
    Instant OccurredAt { get; }
    JsonElement? Details { get; }
    Instant RecordedAt { get; }
}

public sealed record FirstArticleCompleted(
    string EventId, string Source, string PlantCode, string PartNumber, string Revision, Instant OccurredAt, JsonElement? Details,
    Instant RecordedAt) : IStatusReported;

public sealed record SupplierNonconformanceRaised(
    string EventId, string Source, string PlantCode, string PartNumber, string Revision, Instant OccurredAt, JsonElement? Details,
    Instant RecordedAt) : IStatusReported;

public sealed record ProductionHoldPlaced(
    string EventId, string Source, string PlantCode, string PartNumber, string Revision, Instant OccurredAt, JsonElement? Details,
    Instant RecordedAt) : IStatusReported;

public sealed record ProductionHoldReleased(
    string EventId, string Source, string PlantCode, string PartNumber, string Revision, Instant OccurredAt, JsonElement? Details,
    Instant RecordedAt) : IStatusReported;

public sealed record InventoryShortageReported(
    string EventId, string Source, string PlantCode, string PartNumber, string Revision, Instant OccurredAt, JsonElement? Details,
    Instant RecordedAt) : IStatusReported;

public sealed record CostThresholdBreached(
    string EventId, string Source, string PlantCode, string PartNumber, string Revision, Instant OccurredAt, JsonElement? Details,
    Instant RecordedAt) : IStatusReported;

public static class StatusEventTypes
{
    /// <summary>The status event types by the name they are reported with.</summary>
    public static readonly IReadOnlyDictionary<string, Func<string, string, string, string, string, Instant, JsonElement?, Instant, IStatusReported>> ByName =
        new Dictionary<string, Func<string, string, string, string, string, Instant, JsonElement?, Instant, IStatusReported>>
        {
            [nameof(FirstArticleCompleted)] = (i, s, p, n, r, o, d, t) => new FirstArticleCompleted(i, s, p, n, r, o, d, t),
            [nameof(SupplierNonconformanceRaised)] = (i, s, p, n, r, o, d, t) => new SupplierNonconformanceRaised(i, s, p, n, r, o, d, t),
            [nameof(ProductionHoldPlaced)] = (i, s, p, n, r, o, d, t) => new ProductionHoldPlaced(i, s, p, n, r, o, d, t),
            [nameof(ProductionHoldReleased)] = (i, s, p, n, r, o, d, t) => new ProductionHoldReleased(i, s, p, n, r, o, d, t),
            [nameof(InventoryShortageReported)] = (i, s, p, n, r, o, d, t) => new InventoryShortageReported(i, s, p, n, r, o, d, t),
            [nameof(CostThresholdBreached)] = (i, s, p, n, r, o, d, t) => new CostThresholdBreached(i, s, p, n, r, o, d, t),
        };
}
