using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.Observability;
using ProductHub.Hub.Plants.Publishing;
using ProductHub.Hub.Security;
using ProductHub.Projections.Plants;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;

namespace ProductHub.Hub.Plants.Exceptions;

/// <summary>Body of <c>POST /api/v1/exceptions/{id}/dismiss</c>.</summary>
[Contract("canonical/v1/dismiss-exception.schema.json")]
public sealed record DismissException(string Reason);

/// <summary>
/// The exception workbench: releases that could not be published to a plant, with the failed checks by
/// field. Retrying and dismissing are events on the exception's own stream, so the workbench is audited too.
/// </summary>
[Tags("Exceptions")]
public static class ExceptionEndpoints
{
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/exceptions", OperationId = "listExceptions", Summary = "The exception workbench: failed checks of parts in plants")]
    [ProducesResponseType<ListPage<PlantExceptionView>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(
        string? plant, string? status, string? part, string? page, string? pageSize, HttpRequest request, ClaimsPrincipal user,
        IQuerySession session, CancellationToken ct)
    {
        var scope = ReadScope.Of(user);
        if (!QueryParameters.TryEnum<ExceptionStatus>(status, nameof(status), out var wanted, out var problem) ||
            !Paging.TryRead(page, pageSize, out var paging, out problem) ||
            (problem = scope.Refuses(plant)) is not null)
        {
            return problem!;
        }

        var query = session.Query<PlantExceptionView>().AsQueryable();
        if (scope.Plants is { } plants) query = query.Where(e => e.PlantCode.IsOneOf(plants));
        if (plant is not null) query = query.Where(e => e.PlantCode == plant);
        if (part is not null) query = query.Where(e => e.PartNumber == part);
        if (wanted is not null) query = query.Where(e => e.Status == wanted);
        return await paging.AnswerAsync(request, query.OrderByDescending(e => e.LastSeen).ThenBy(e => e.Id), ct);
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/exceptions/{id}", OperationId = "getException", Summary = "One exception with its failed checks by field")]
    [ProducesResponseType<PlantExceptionView>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string id, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<PlantExceptionView>(PlantStreams.Exception(id), ct) is { } exception && ReadScope.Of(user).Sees(exception.PlantCode)
            ? Results.Ok(exception)
            : UnknownException(id);

    /// <summary>Validates the part for the plant again with today's data, and publishes it when it is complete now.</summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePost("/api/v1/exceptions/{id}/retry", OperationId = "retryException", Summary = "Validate the part again with today's data, and publish it when complete")]
    [NonTransactional]
    [ProducesResponseType<PlantExceptionView>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Retry(
        string id, IDocumentSession session, IMessageBus bus, HubMetrics metrics, PlantScopeCache scopes, IClock clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<PlantException>(PlantStreams.Exception(id), ct);
        if (stream.Aggregate is not { } exception) return UnknownException(id);
        var now = clock.GetCurrentInstant();
        var decision = ExceptionDecisions.Retry(exception, now);
        if (decision.Refusal is { } refusal) return Problems.Conflict(refusal);
        stream.AppendOne(decision.Event!);

        await PlantSync.SyncAsync(session, bus, metrics, scopes, exception.PlantCode, [new([exception.PartNumber], $"retry of {id}")], now, ct,
            onlyThese: true);
        await session.SaveChangesAsync(ct);
        return Results.Ok(await session.LoadAsync<PlantExceptionView>(exception.Id, ct));
    }

    [Authorize(Policy = Access.Administration)]
    [WolverinePost("/api/v1/exceptions/{id}/dismiss", OperationId = "dismissException", Summary = "Dismiss an exception with a reason"), NonTransactional]
    [ProducesResponseType<PlantExceptionView>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static Task<IResult> Dismiss(string id, DismissException body, IDocumentSession session, IClock clock, CancellationToken ct) =>
        DismissAsync(id, body.Reason, session, clock, ct);

    /// <summary>Dismisses an open exception with a reason; the web workbench calls this too, with a reason from a form.</summary>
    public static async Task<IResult> DismissAsync(string id, string reason, IDocumentSession session, IClock clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<PlantException>(PlantStreams.Exception(id), ct);
        if (stream.Aggregate is not { } exception) return UnknownException(id);
        var decision = ExceptionDecisions.Dismiss(new DismissException(reason), exception, clock.GetCurrentInstant());
        if (decision.Refusal is { } refusal) return Problems.Conflict(refusal);
        stream.AppendOne(decision.Event!);
        await session.SaveChangesAsync(ct);
        return Results.Ok(await session.LoadAsync<PlantExceptionView>(exception.Id, ct));
    }

    private static IResult UnknownException(string id) => Problems.NotFound($"No exception {id} is on the workbench.");
}
