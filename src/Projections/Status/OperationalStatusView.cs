using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using ProductHub.Domain;
using ProductHub.Domain.Status;

namespace ProductHub.Projections.Status;

/// <summary>
/// A part's operational status as operations reported it. Reports may arrive in any order: each hold is settled
/// by the times its placement and release occurred, not by the order they arrived in.
/// </summary>
public sealed class OperationalStatusView
{
    public string Id { get; set; } = "";
    public List<HoldState> Holds { get; set; } = [];
    public List<StatusReport> FirstArticles { get; set; } = [];
    public List<StatusReport> Nonconformances { get; set; } = [];
    public List<StatusReport> Shortages { get; set; } = [];
    public List<StatusReport> CostBreaches { get; set; } = [];

    public void Apply(FirstArticleCompleted e) => FirstArticles.Add(StatusReport.Of(e));

    public void Apply(SupplierNonconformanceRaised e) => Nonconformances.Add(StatusReport.Of(e));

    public void Apply(InventoryShortageReported e) => Shortages.Add(StatusReport.Of(e));

    public void Apply(CostThresholdBreached e) => CostBreaches.Add(StatusReport.Of(e));

    public void Apply(ProductionHoldPlaced e)
    {
        var hold = Hold(e);
        if (hold.PlacedAt is null || e.OccurredAt > hold.PlacedAt) hold.Placed = StatusReport.Of(e);
    }

    public void Apply(ProductionHoldReleased e)
    {
        var hold = Hold(e);
        if (hold.ReleasedAt is null || e.OccurredAt > hold.ReleasedAt) hold.Released = StatusReport.Of(e);
    }

    private HoldState Hold(StatusReported e)
    {
        var key = HoldState.KeyOf(e);
        var hold = Holds.Find(h => h.Key == key);
        if (hold is null) Holds.Add(hold = new HoldState { Key = key, PlantCode = e.PlantCode, Revision = e.Revision });
        return hold;
    }
}

public sealed record StatusReport(string EventId, string Source, string PlantCode, string Revision, Instant OccurredAt, JsonElement? Details)
{
    /// <summary>Details nested too deep to be served are kept out, with a note: the status of the part must stay readable.</summary>
    private static readonly JsonElement Withheld = JsonSerializer.SerializeToElement(new { withheld = ServedJson.WithheldReason });

    public static StatusReport Of(StatusReported e) =>
        new(e.EventId, e.Source, e.PlantCode, e.Revision, e.OccurredAt, e.Details is { } d && ServedJson.TooDeep(d) ? Withheld : e.Details);
}

/// <summary>One production hold: <c>details.holdId</c> when the reporter names one, else one hold per plant and revision.</summary>
public sealed class HoldState
{
    public string Key { get; set; } = "";
    public string PlantCode { get; set; } = "";
    public string Revision { get; set; } = "";
    public StatusReport? Placed { get; set; }
    public StatusReport? Released { get; set; }

    [JsonIgnore] public Instant? PlacedAt => Placed?.OccurredAt;
    [JsonIgnore] public Instant? ReleasedAt => Released?.OccurredAt;

    /// <summary>Open when it was placed and not released after that.</summary>
    public bool IsOpen() => PlacedAt is { } placed && (ReleasedAt is not { } released || released < placed);

    public static string KeyOf(StatusReported e) =>
        e.Details is { ValueKind: JsonValueKind.Object } details && details.TryGetProperty("holdId", out var id) && id.ValueKind == JsonValueKind.String
            ? $"{e.PlantCode}/{id.GetString()}"
            : $"{e.PlantCode}/{e.Revision}";
}
