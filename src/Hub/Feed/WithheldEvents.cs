using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using Wolverine.Http;

namespace ProductHub.Hub.Feed;

/// <summary>An event readers are given only as <see cref="EventWithheld"/>: the dead letter of the hub's readers, for an admin to look into.</summary>
public sealed class WithheldEvent
{
    /// <summary>The event's position in the feed.</summary>
    public long Id { get; set; }
    public string Stream { get; set; } = "";
    public string Type { get; set; } = "";
    public string Reason { get; set; } = "";
    public Instant FirstWithheldAt { get; set; }
}

/// <summary>Records each withheld event once, the first time a reader meets it.</summary>
public sealed class WithheldEvents(IDocumentStore store, IClock clock, ILogger<WithheldEvents> logger)
{
    public async Task RecordAsync(long position, string stream, string type, string reason, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<WithheldEvent>(position, ct) is not null) return;
        logger.LogError("Event {Position} ({Type} on {Stream}) is withheld from readers: {Reason}", position, type, stream, reason);
        session.Insert(new WithheldEvent { Id = position, Stream = stream, Type = type, Reason = reason, FirstWithheldAt = clock.GetCurrentInstant() });
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (WriteConflict.Is(e))
        {
            // Another reader (or another hub) recorded it first.
        }
    }
}

[Tags("Feed")]
public static class WithheldEventEndpoints
{
    /// <summary>The events readers are given only as <c>EventWithheld</c>, in feed order.</summary>
    [Authorize(Policy = Access.Administration)]
    [WolverineGet("/api/v1/feed/withheld", OperationId = "listWithheldEvents", Summary = "The stored events readers are given only as EventWithheld, and why")]
    [ProducesResponseType<ListPage<WithheldEvent>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(string? page, string? pageSize, HttpRequest request, IQuerySession session, CancellationToken ct) =>
        Paging.TryRead(page, pageSize, out var paging, out var problem)
            ? await paging.AnswerAsync(request, session.Query<WithheldEvent>().OrderBy(e => e.Id), ct)
            : problem!;
}
