using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.Plants.Publishing;
using ProductHub.Hub.Security;
using ProductHub.Projections.Plants;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;

namespace ProductHub.Hub.Plants.Configuring;

/// <summary>Body of <c>PUT /api/v1/plants/{plantCode}</c>, shaped by <c>schemas/canonical/v1/plant.schema.json</c>.</summary>
[Contract("canonical/v1/plant.schema.json")]
public sealed record ConfigurePlant(string Name, string ErpInstance, RulesBody? Rules);

public sealed record RulesBody(
    IReadOnlyList<Substitution>? Substitutions,
    IReadOnlyList<string>? Exclusions,
    IReadOnlyList<string>? Phantoms,
    IReadOnlyList<MakeBuyOverride>? MakeBuy,
    IReadOnlyList<MandatoryAttribute>? MandatoryAttributes,
    IReadOnlyDictionary<string, string>? WorkCenters = null)
{
    public PlantRules ToRules() => new(
        Substitutions ?? [], Exclusions ?? [], Phantoms ?? [], MakeBuy ?? [], MandatoryAttributes ?? [],
        WorkCenters is { Count: > 0 } ? WorkCenters : null);
}

[Tags("Plants")]
public static class ConfigurePlantEndpoint
{
    /// <summary>
    /// Creates or changes a plant. Every change is one event with the whole configuration on the plant's
    /// stream, so the rules in force at any instant stay answerable; the same configuration again records
    /// nothing. A change recomputes everything the plant receives.
    /// </summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePut("/api/v1/plants/{plantCode}", OperationId = "configurePlant", Summary = "Configure a plant: its ERP instance and rules"), NonTransactional]
    [ProducesResponseType<PlantResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<PlantResponse>(StatusCodes.Status201Created)]
    public static async Task<IResult> Put(
        string plantCode, ConfigurePlant body, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        if (!Keys.IsValid(plantCode)) return Problems.Invalid(nameof(plantCode), $"a plant code is {Keys.Rule}");
        var invalid = Check(ConfigurePlantDecision.RulesOf(body));
        if (invalid.Count > 0) return Problems.Invalid(invalid);

        var key = PlantStreams.Plant(plantCode);
        var stream = await session.Events.FetchForWriting<Plant>(key, ct);
        var now = clock.GetCurrentInstant();
        // Answered as of this decision: a writer that saves right after us must not show up in our answer.
        if (ConfigurePlantDecision.Decide(plantCode, body, stream.Aggregate, now) is not { } decision)
            return Results.Ok(PlantResponse.From((await session.LoadAsync<PlantView>(key, ct))!, now));

        session.CorrelationId = key;
        await decision.RecordAsync(session, stream, bus, now);
        await session.SaveChangesAsync(ct);

        var saved = PlantResponse.From((await session.LoadAsync<PlantView>(key, ct))!, now);
        return stream.Aggregate is null
            ? Results.Created($"/api/v1/plants/{Uri.EscapeDataString(plantCode)}", saved)
            : Results.Ok(saved);
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/plants/{plantCode}", OperationId = "getPlant", Summary = "A plant and its rules as known at an instant")]
    [ProducesResponseType<PlantResponse>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string plantCode, string? asOf, IQuerySession session, CancellationToken ct)
    {
        if (!QueryParameters.TryInstant(asOf, nameof(asOf), out var knownAt, out var problem)) return problem!;
        var plant = await session.LoadAsync<PlantView>(PlantStreams.Plant(plantCode), ct);
        return plant?.ConfigurationAsOf(knownAt) is null
            ? UnknownPlant(plantCode)
            : Results.Ok(PlantResponse.From(plant, knownAt));
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/plants", OperationId = "listPlants", Summary = "The plants")]
    [ProducesResponseType<ListPage<PlantResponse>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(
        string? page, string? pageSize, HttpRequest request, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (!Paging.TryRead(page, pageSize, out var paging, out var problem)) return problem!;
        var query = session.Query<PlantView>().AsQueryable();
        if (ReadScope.Of(user).Plants is { } plants) query = query.Where(p => p.Code.IsOneOf(plants));
        return await paging.AnswerAsync(request, query.OrderBy(p => p.Id), p => PlantResponse.From(p), ct);
    }

    public static IResult UnknownPlant(string plantCode) => Problems.NotFound($"Plant {plantCode} is not known to the hub.");

    private static IReadOnlyDictionary<string, string[]> Check(PlantRules rules)
    {
        var errors = new FieldErrors();
        for (var i = 0; i < rules.Substitutions.Count; i++)
        {
            var s = rules.Substitutions[i];
            if (s.Substitute == s.PartNumber)
                errors.Add($"$.rules.substitutions[{i}].substitute", "a part cannot substitute itself");
            if (s is { EffectiveFrom: { } from, EffectiveTo: { } to } && to <= from)
                errors.Add($"$.rules.substitutions[{i}].effectiveTo", "must be after effectiveFrom");
        }
        for (var i = 0; i < rules.MandatoryAttributes.Count; i++)
        {
            if (!RequiredAttributes.IsKnown(rules.MandatoryAttributes[i].Attribute))
                errors.Add($"$.rules.mandatoryAttributes[{i}].attribute",
                    $"unknown attribute; one of {string.Join(", ", RequiredAttributes.Paths)}");
        }
        return errors.ToDictionary();
    }
}

public sealed record PlantResponse(
    string PlantCode, string Name, string ErpInstance, PlantRules Rules, Instant ConfiguredAt, int Configurations,
    IReadOnlyList<string> AssignedParts)
{
    public static PlantResponse From(PlantView plant, Instant? asOf = null)
    {
        var configuration = plant.ConfigurationAsOf(asOf)!;
        return new PlantResponse(plant.Code, configuration.Name, configuration.ErpInstance, configuration.Rules,
            configuration.RecordedAt, plant.Configurations.Count(c => asOf is null || c.RecordedAt <= asOf),
            plant.AssignedAsOf(asOf).ToList());
    }
}
