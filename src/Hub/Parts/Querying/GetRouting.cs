using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Domain.Parts;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using ProductHub.Projections.Parts;
using Wolverine.Http;

namespace ProductHub.Hub.Parts.Querying;

/// <summary>
/// A revision's routing on a date as known at an instant: the operations effective on that date, in operation
/// number order. With a quantity, each operation and the routing say the minutes it takes, as an ERP plans them.
/// </summary>
public sealed record PartRouting(
    string PartNumber, string Revision, LocalDate Effective, Instant? AsOf, decimal? Quantity, string Unit,
    IReadOnlyList<RoutingOperation> Operations, decimal? TotalMinutes)
{
    /// <param name="quantity">In the part's unit; null: no times.</param>
    public static PartRouting Of(PartView part, RevisionView revision, LocalDate effective, Instant? asOf, decimal? quantity)
    {
        var operations = revision.Operations.Where(o => o.IsEffectiveOn(effective)).OrderBy(o => o.OperationNumber)
            .Select(o => RoutingOperation.Of(o, quantity)).ToList();
        return new PartRouting(part.Id, revision.Revision, effective, asOf, quantity, revision.Unit, operations,
            quantity is null || operations.Any(o => o.Minutes is null) ? null : operations.Sum(o => o.Minutes!.Value));
    }
}

public sealed record RoutingOperation(
    int OperationNumber, string Description, string WorkCenter, decimal SetupMinutes, decimal RunMinutes, decimal RunQuantity,
    decimal CleanupMinutes, OperationBatching Batching, LocalDate EffectiveFrom, LocalDate? EffectiveTo, IReadOnlyList<int> Consumes,
    IReadOnlyList<InspectionCharacteristic> Inspection, decimal? Minutes)
{
    public static RoutingOperation Of(OperationView o, decimal? quantity) => new(
        o.OperationNumber, o.Description, o.WorkCenter, o.Times.SetupMinutes, o.Times.RunMinutes, o.Times.RunQuantity,
        o.Times.CleanupMinutes, o.Times.Batching, o.EffectiveFrom, o.EffectiveTo, o.Consumes, o.Inspection,
        quantity is { } q ? o.Times.MinutesFor(q) : null);
}

[Tags("Parts")]
public static class GetRouting
{
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/parts/{partNumber}/routing", OperationId = "getRouting",
        Summary = "The routing of a part's revision on a date, as known at an instant, with the times for a quantity")]
    [ProducesResponseType<PartRouting>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(
        string partNumber, string? revision, string? effective, string? asOf, string? quantity,
        IQuerySession session, IClock clock, CancellationToken ct)
    {
        if (!QueryParameters.TryQuantity(quantity, nameof(quantity), out var amount, out var invalid)) return invalid!;
        var (request, problem) = await BomRequest.ResolveAsync(partNumber, revision, effective, asOf, null, session, clock, ct);
        return request is null ? problem! : Results.Ok(PartRouting.Of(request.Part, request.Revision, request.Effective, request.AsOf, amount));
    }
}
