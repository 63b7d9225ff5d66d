using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using ProductHub.Hub.Api;
using ProductHub.Hub.Feed;
using ProductHub.Hub.Security;
using Wolverine.Http;

namespace ProductHub.Hub.Parts.Querying;

public sealed record HistoryResponse(string PartNumber, IReadOnlyList<HistoryEntry> Events);

/// <summary>One fact of the part's stream with the metadata the hub recorded with it.</summary>
public sealed record HistoryEntry(
    long Version,
    long Sequence,
    string Type,
    DateTimeOffset Timestamp,
    string? CorrelationId,
    string? CausationId,
    string? UserName,
    JsonNode? Headers,
    JsonNode Data);

[Tags("Parts")]
public static class GetHistory
{
    /// <summary>
    /// The audit trail: every event of the part's stream in order, served like the change feed (an event that cannot
    /// be served is <c>EventWithheld</c> at its version); an ERP's token sees the status reports of its own plants only.
    /// </summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/parts/{partNumber}/history", OperationId = "getPartHistory", Summary = "The audit trail of a part: every event with its metadata")]
    [ProducesResponseType<HistoryResponse>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string partNumber, ClaimsPrincipal user, EventReader reader, CancellationToken ct) =>
        await ReadAsync(partNumber, reader, FeedSelection.For(user), ct) is { } history ? Results.Ok(history) : GetPart.UnknownPart(partNumber);

    /// <summary>The part's events with their metadata, or null for a part the hub has never heard of.</summary>
    public static async Task<HistoryResponse?> ReadAsync(string partNumber, EventReader reader, FeedSelection selection, CancellationToken ct)
    {
        var events = await reader.ReadStreamAsync(partNumber, selection, ct);
        if (events.Count == 0) return null;

        return new HistoryResponse(partNumber, events.Select(e => new HistoryEntry(
            e.Version, e.Position, e.Type, e.Timestamp, e.CorrelationId, e.CausationId, e.UserName, e.Headers, e.Data)).ToList());
    }
}
