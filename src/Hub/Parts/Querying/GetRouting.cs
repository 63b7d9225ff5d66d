using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using Wolverine.Http;

namespace ProductHub.Hub.Parts.Querying;

/// <summary>
/// A revision's routing on a date as known at an instant: the operations effective on that date, in operation
/// number order. With a quantity, each operation and the routing say the minutes it takes, as an ERP plans them.
/// A plant's routing also names the plant, and each operation its canonical work center beside the plant's.
/// </summary>
public sealed record PartRouting(
    string? PlantCode, string PartNumber, string Revision, LocalDate Effective, Instant? AsOf, decimal? Quantity, string Unit,
    IReadOnlyList<RoutingOperation> Operations, decimal? TotalMinutes)
{
    /// <param name="quantity">In the part's unit; null: no times.</param>
    public static PartRouting Of(
        string? plantCode, BomRequest request, IEnumerable<RoutedOperation> operations, decimal? quantity)
    {
        var effective = operations.Where(o => o.Effectivity.Covers(request.Effective)).OrderBy(o => o.OperationNumber)
            .Select(o => RoutingOperation.Of(o, quantity)).ToList();
        return new PartRouting(plantCode, request.Part.Id, request.Revision.Revision, request.Effective, request.AsOf, quantity,
            request.Revision.Unit, effective,
            quantity is null || effective.Any(o => o.Minutes is null) ? null : effective.Sum(o => o.Minutes!.Value));
    }
}

public sealed record RoutingOperation(
    int OperationNumber, string Description, string WorkCenter, string? CanonicalWorkCenter, decimal SetupMinutes, decimal RunMinutes,
    decimal RunQuantity, decimal CleanupMinutes, OperationBatching Batching, LocalDate EffectiveFrom, LocalDate? EffectiveTo,
    IReadOnlyList<int> Consumes, IReadOnlyList<InspectionCharacteristic> Inspection, decimal? Minutes,
    IReadOnlyList<DocumentReference> Documents)
{
    public static RoutingOperation Of(RoutedOperation o, decimal? quantity) => new(
        o.OperationNumber, o.Description, o.WorkCenter, (o as PlantOperation)?.CanonicalWorkCenter, o.Times.SetupMinutes,
        o.Times.RunMinutes, o.Times.RunQuantity, o.Times.CleanupMinutes, o.Times.Batching, o.Effectivity.From, o.Effectivity.To,
        o.Consumes, o.Inspection, quantity is { } q ? o.Times.MinutesFor(q) : null, o.Documents ?? []);
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
        return request is null ? problem! : Results.Ok(PartRouting.Of(null, request, request.Revision.Operations, amount));
    }
}
