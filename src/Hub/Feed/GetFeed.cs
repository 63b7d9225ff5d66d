using System.Security.Claims;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using Wolverine.Http;

namespace ProductHub.Hub.Feed;

/// <summary>One event of the feed: the envelope of <c>schemas/events/v1/feed-entry.schema.json</c> around its type's data.</summary>
public sealed record FeedEntry(
    long Position, string Stream, long Version, string Type, DateTimeOffset Timestamp, string? CorrelationId,
    string? CausationId, JsonNode Data)
{
    public static FeedEntry Of(ServedEvent e) =>
        new(e.Position, e.Stream, e.Version, e.Type, e.Timestamp, e.CorrelationId, e.CausationId, e.Data);
}

public sealed record FeedHead(long Position);

public sealed record FeedPage(long After, long Next, IReadOnlyList<FeedEntry> Events);

[Tags("Feed")]
public static class GetFeed
{
    private const int MaxLimit = 1000;
    private const int MaxWaitSeconds = 30;

    /// <summary>
    /// The public events in order, resumable by position: read with <c>after</c> = the last <c>next</c>. An ERP's
    /// token is given canonical events and its own plants' events only. With <c>wait</c> (seconds), a page with
    /// nothing for the caller is held open until something arrives (long poll).
    /// </summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/feed", OperationId = "readFeed", Summary = "The change feed: public events in order after a position, with long polling")]
    [ProducesResponseType<FeedPage>(StatusCodes.Status200OK)]
    public static async Task<IResult> Get(
        string? after, string? limit, string? wait, ClaimsPrincipal user, EventReader reader, IClock clock, CancellationToken ct)
    {
        if (!QueryParameters.TryWhole(after, nameof(after), 0, 0, long.MaxValue, out var from, out var problem) ||
            !QueryParameters.TryWhole(limit, nameof(limit), 100, 1, MaxLimit, out var take, out problem) ||
            !QueryParameters.TryWhole(wait, nameof(wait), 0, 0, MaxWaitSeconds, out var holdFor, out problem))
        {
            return problem!;
        }

        var selection = FeedSelection.For(user);
        var deadline = clock.GetCurrentInstant() + Duration.FromSeconds(holdFor);
        var next = from;
        while (true)
        {
            var (events, readTo) = await reader.ReadAsync(next, (int)take, selection, clock.GetCurrentInstant(), ct);
            if (events.Count > 0 || clock.GetCurrentInstant() >= deadline)
                return Results.Ok(new FeedPage(from, readTo, [.. events.Select(FeedEntry.Of)]));
            // Events for other readers only: read on from there at once; nothing new: wait a little.
            if (readTo == next) await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            next = readTo;
        }
    }

    /// <summary>The latest position, for a reader that wants to start from now rather than from the beginning.</summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/feed/head", OperationId = "getFeedHead", Summary = "The position of the newest event in the feed")]
    [ProducesResponseType<FeedHead>(StatusCodes.Status200OK)]
    public static async Task<IResult> Head(IQuerySession session, CancellationToken ct) =>
        Results.Ok(new FeedHead(await HeadAsync(session, ct)));

    public static Task<long> HeadAsync(IQuerySession session, CancellationToken ct) =>
        session.Events.QueryAllRawEvents().OrderByDescending(e => e.Sequence).Select(e => e.Sequence).FirstOrDefaultAsync(ct);
}
