using System.Text.Json;
using NodaTime;

namespace ProductHub.Domain.Status;

// What operations report back about a part (ERP, MES, QMS, suppliers), recorded on the part's own stream so
// that a part's history shows its engineering and its operational life together.

/// <summary>The facts every status report carries: who reported what, where, when it happened, and its own id.</summary>
public abstract record StatusReported
{
    public string EventId { get; init; } = "";
    public string Source { get; init; } = "";
    public string PlantCode { get; init; } = "";
    public string PartNumber { get; init; } = "";
    public string Revision { get; init; } = "";
    public Instant OccurredAt { get; init; }
    public JsonElement? Details { get; init; }
    public Instant RecordedAt { get; init; }
}

public sealed record FirstArticleCompleted : StatusReported;

public sealed record SupplierNonconformanceRaised : StatusReported;

public sealed record ProductionHoldPlaced : StatusReported;

public sealed record ProductionHoldReleased : StatusReported;

public sealed record InventoryShortageReported : StatusReported;

public sealed record CostThresholdBreached : StatusReported;

public static class StatusEventTypes
{
    /// <summary>An empty report of each type, by the name it is reported with; a report is one of these <c>with</c> its facts.</summary>
    public static readonly IReadOnlyDictionary<string, StatusReported> ByName = new StatusReported[]
    {
        new FirstArticleCompleted(), new SupplierNonconformanceRaised(), new ProductionHoldPlaced(), new ProductionHoldReleased(),
        new InventoryShortageReported(), new CostThresholdBreached(),
    }.ToDictionary(r => r.GetType().Name);
}
