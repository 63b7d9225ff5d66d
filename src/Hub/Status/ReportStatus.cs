using System.Security.Claims;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain;
using ProductHub.Domain.Status;
using ProductHub.Hub.Api;
using ProductHub.Hub.Parts.Querying;
using ProductHub.Hub.Security;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Status;
using Wolverine.Attributes;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ProductHub.Hub.Status;

/// <summary>Body of <c>POST /api/v1/status-events</c>, shaped by <c>schemas/canonical/v1/status-event.schema.json</c>.</summary>
[Contract("canonical/v1/status-event.schema.json")]
public sealed record ReportStatus(
    string EventId, string Type, string Source, string Plant, string PartNumber, string Revision, DateTimeOffset OccurredAt,
    JsonElement? Details);

/// <summary>Which status events were received, by their own id, so one sent again is recorded once.</summary>
public sealed class StatusEventReceipt
{
    public string Id { get; set; } = "";
    public string ContentHash { get; set; } = "";
    public StatusAnswer Answer { get; set; } = null!;
}

public sealed record StatusAnswer(string EventId, string PartNumber, Instant RecordedAt, bool Duplicate);

/// <summary>A part's operational status: its open holds (each as placed), every hold, and the reports of each kind.</summary>
public sealed record PartStatusAnswer(
    string PartNumber, IReadOnlyList<StatusReport> OpenHolds, IReadOnlyList<HoldState> Holds, IReadOnlyList<StatusReport> FirstArticles,
    IReadOnlyList<StatusReport> Nonconformances, IReadOnlyList<StatusReport> Shortages, IReadOnlyList<StatusReport> CostBreaches);

/// <summary>What became of one status event: recorded, recognised as sent before, or refused with the reasons by field.</summary>
public sealed record StatusOutcome(StatusAnswer? Answer, string? Conflict, IReadOnlyDictionary<string, string[]>? Rejections);

/// <summary>Receives one status event, whatever channel brought it (HTTP, a dropped file): once per event id.</summary>
public static class StatusIntake
{
    /// <param name="recordedBy">The authenticated caller; the reporting system itself when the event came by file or queue.</param>
    public static async Task<StatusOutcome> RecordAsync(
        IDocumentStore store, ReportStatus body, JsonSerializerOptions json, Instant now, CancellationToken ct, string? recordedBy = null)
    {
        var hash = ContentHash.Of(JsonSerializer.Serialize(body, json));
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<StatusEventReceipt>(body.EventId, ct) is { } earlier) return Duplicate(earlier, hash);

        var part = await session.LoadAsync<PartView>(body.PartNumber, ct);
        if (part is null) return Rejected("$.partNumber", $"{body.PartNumber} is not known to the hub");
        if (part.FindRevision(body.Revision) is null) return Rejected("$.revision", $"{body.PartNumber} has no revision {body.Revision}");

        var reported = StatusEventTypes.ByName[body.Type] with
        {
            EventId = body.EventId, Source = body.Source, PlantCode = body.Plant, PartNumber = body.PartNumber, Revision = body.Revision,
            OccurredAt = Instant.FromDateTimeOffset(body.OccurredAt), Details = body.Details, RecordedAt = now,
        };
        session.CorrelationId = body.EventId;
        session.CausationId = body.EventId;
        session.LastModifiedBy = recordedBy ?? body.Source;
        session.SetHeader("source", body.Source);
        // Reports about one part commute, and the receipt below keeps them unique: no version check, but the part's
        // stream row is locked until the save, so reports arriving at once queue behind each other instead of
        // taking the same version.
        await session.Events.AppendExclusive(body.PartNumber, ct, reported);
        var answer = new StatusAnswer(body.EventId, body.PartNumber, now, false);
        session.Insert(new StatusEventReceipt { Id = body.EventId, ContentHash = hash, Answer = answer });
        try
        {
            await session.SaveChangesAsync(ct);
            return new StatusOutcome(answer, null, null);
        }
        catch (Exception e) when (WriteConflict.Is(e))
        {
            await using var fresh = store.QuerySession();
            return await fresh.LoadAsync<StatusEventReceipt>(body.EventId, ct) is { } winner
                ? Duplicate(winner, hash)
                : new StatusOutcome(null, "Another writer got in first; send the event again.", null);
        }
    }

    private static StatusOutcome Duplicate(StatusEventReceipt earlier, string hash) =>
        earlier.ContentHash == hash
            ? new StatusOutcome(earlier.Answer with { Duplicate = true }, null, null)
            : new StatusOutcome(null, $"Status event {earlier.Id} was received before with different content.", null);

    private static StatusOutcome Rejected(string field, string message) =>
        new(null, null, new Dictionary<string, string[]> { [field] = [message] });
}

[Tags("Status")]
public static class ReportStatusEndpoint
{
    [Authorize(Policy = Access.PlantFeedback)]
    [WolverinePost("/api/v1/status-events", OperationId = "reportStatus", Summary = "Report an operational status event of a part in a plant"), NonTransactional]
    [ProducesResponseType<StatusAnswer>(StatusCodes.Status200OK)]
    [ProducesResponseType<StatusAnswer>(StatusCodes.Status201Created), ProblemAnswers(422)]
    public static async Task<IResult> Post(
        ReportStatus body, ClaimsPrincipal user, IDocumentStore store, IClock clock, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (!PlantAccess.Allows(user, body.Plant)) return PlantAccess.Refused($"status event {body.EventId}");
        var outcome = await StatusIntake.RecordAsync(
            store, body, json.Value.SerializerOptions, clock.GetCurrentInstant(), ct, user.Identity?.Name);
        return outcome switch
        {
            { Rejections: { } rejections } => Problems.Unprocessable("The status event was rejected", rejections),
            { Conflict: { } conflict } => Problems.Conflict(conflict),
            { Answer.Duplicate: true } => Results.Ok(outcome.Answer),
            _ => Results.Created($"/api/v1/parts/{Uri.EscapeDataString(body.PartNumber)}/status", outcome.Answer),
        };
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/parts/{partNumber}/status", OperationId = "getPartStatus",
        Summary = "The operational status of a part: holds, first articles, nonconformances, shortages, cost breaches")]
    [ProducesResponseType<PartStatusAnswer>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string partNumber, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<PartView>(partNumber, ct) is null) return GetPart.UnknownPart(partNumber);
        var status = await session.LoadAsync<OperationalStatusView>(partNumber, ct) ?? new OperationalStatusView { Id = partNumber };
        // Each report is its plant's: an ERP reads its own plants' only.
        var scope = ReadScope.Of(user);
        List<StatusReport> Seen(List<StatusReport> reports) => reports.Where(r => scope.Sees(r.PlantCode)).ToList();
        var holds = status.Holds.Where(h => scope.Sees(h.PlantCode)).ToList();
        return Results.Ok(new PartStatusAnswer(
            partNumber, holds.Where(h => h.IsOpen()).Select(h => h.Placed!).ToList(), holds, Seen(status.FirstArticles),
            Seen(status.Nonconformances), Seen(status.Shortages), Seen(status.CostBreaches)));
    }
}
