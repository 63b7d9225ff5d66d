using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain;
using ProductHub.Domain.Units;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using ProductHub.Projections.Units;
using Wolverine.Attributes;
using Wolverine.Http;

namespace ProductHub.Hub.Units;

/// <summary>Body of <c>PUT /api/v1/units/{code}</c>, shaped by <c>schemas/canonical/v1/unit.schema.json</c>.</summary>
[Contract("canonical/v1/unit.schema.json")]
public sealed record DefineUnit(string Dimension, decimal Factor);

[Tags("Units")]
public static class DefineUnitEndpoint
{
    /// <summary>
    /// Defines a unit once. Released BOMs are exploded with these factors, so a unit never changes:
    /// the same definition again is accepted as it is, a different one is a conflict.
    /// </summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePut("/api/v1/units/{code}", OperationId = "defineUnit", Summary = "Define a unit of measure once"), NonTransactional]
    [ProducesResponseType<UnitOfMeasure>(StatusCodes.Status200OK)]
    [ProducesResponseType<UnitOfMeasure>(StatusCodes.Status201Created)]
    public static async Task<IResult> Put(
        string code, DefineUnit body, IDocumentSession session, IClock clock,
        CancellationToken ct)
    {
        if (!Keys.IsValid(code)) return Problems.Invalid(nameof(code), $"a unit code is {Keys.Rule}");

        var wanted = new UnitOfMeasure(code, body.Dimension, Quantities.Normalize(body.Factor));
        var existing = (await UnitCatalog.LoadAsync(session, ct)).Find(code);
        if (existing is not null)
        {
            return existing.Dimension == wanted.Dimension && existing.Factor == wanted.Factor
                ? Results.Ok(existing)
                : Problems.Conflict($"Unit {code} is already defined as {existing.Factor} {existing.Dimension}; units never change.");
        }

        // StartStream fails on an existing stream, so two concurrent definitions cannot both win.
        session.Events.StartStream(UnitStream.Key(code),
            new UnitDefined(code, wanted.Dimension, wanted.Factor, clock.GetCurrentInstant()));
        await session.SaveChangesAsync(ct);
        return Results.Created($"/api/v1/units/{Uri.EscapeDataString(code)}", wanted);
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/units", OperationId = "listUnits", Summary = "The units of measure")]
    [ProducesResponseType<ListPage<UnitOfMeasure>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(string? page, string? pageSize, HttpRequest request, IQuerySession session, CancellationToken ct) =>
        Paging.TryRead(page, pageSize, out var paging, out var problem)
            ? paging.Answer(request, (await UnitCatalog.LoadAsync(session, ct)).All.OrderBy(u => u.Dimension).ThenBy(u => u.Factor).ThenBy(u => u.Code).ToList())
            : problem!;

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/units/{code}", OperationId = "getUnit", Summary = "A unit of measure")]
    [ProducesResponseType<UnitOfMeasure>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string code, IQuerySession session, CancellationToken ct) =>
        (await UnitCatalog.LoadAsync(session, ct)).Find(code) is { } unit
            ? Results.Ok(unit)
            : Problems.NotFound($"Unit {code} is not defined.");
}
