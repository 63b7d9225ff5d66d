using System.Security.Claims;
using Marten;
using ProductHub.Domain.Status;
using Wolverine.Http;
using Microsoft.AspNetCore.Authorization;
using ProductHub.Hub.Security;

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
    IReadOnlyDictionary<string, object>? Headers,
    object Data);

public static class GetHistory
{
    /// <summary>The audit trail: every event of the part's stream in order.</summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/parts/{partNumber}/history")]
    public static async Task<IResult> Get(string partNumber, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (await LoadAsync(partNumber, session, ct) is not { } history) return GetPart.UnknownPart(partNumber);
        // Engineering is everyone's; what operations reported from a plant is that plant's (and an ERP reads its own only).
        var scope = ReadScope.Of(user);
        return Results.Ok(history with { Events = history.Events.Where(e => e.Data is not StatusReported r || scope.Sees(r.PlantCode)).ToList() });
    }

    /// <summary>The part's events with their metadata, or null for a part the hub has never heard of.</summary>
    public static async Task<HistoryResponse?> LoadAsync(string partNumber, IQuerySession session, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(partNumber, token: ct);
        if (events.Count == 0) return null;

        return new HistoryResponse(partNumber, events.Select(e => new HistoryEntry(
            e.Version, e.Sequence, e.EventType.Name, e.Timestamp, e.CorrelationId, e.CausationId, e.UserName,
            e.Headers, e.Data)).ToList());
    }
}
