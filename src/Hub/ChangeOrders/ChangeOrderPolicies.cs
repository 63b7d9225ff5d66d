using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Hub.Api;
using ProductHub.Hub.Security;
using ProductHub.Projections.ChangeOrders;
using Wolverine.Attributes;
using Wolverine.Http;

namespace ProductHub.Hub.ChangeOrders;

/// <summary>Body of <c>PUT /api/v1/change-order-policies/{type}</c>, shaped by <c>schemas/canonical/v1/change-order-policy.schema.json</c>.</summary>
[Contract("canonical/v1/change-order-policy.schema.json")]
public sealed record DefinePolicy(IReadOnlyList<StageBody> Stages);

public sealed record StageBody(string Name, IReadOnlyList<StepBody> Steps);

public sealed record StepBody(
    string Name, string Target, string Action, int? TimeoutSeconds, RetryBody? Retry, bool? Blocking, CompensationBody? Compensation);

public sealed record CompensationBody(string Action);

[Tags("Change orders")]
public static class ChangeOrderPolicies
{
    /// <summary>Defines (a new version of) the orchestration policy of a change order type; change orders in flight keep theirs.</summary>
    [Authorize(Policy = Access.Administration)]
    [WolverinePut("/api/v1/change-order-policies/{type}", OperationId = "defineChangeOrderPolicy", Summary = "Define the orchestration policy of a change order type")]
    [NonTransactional]
    [ProducesResponseType<ChangeOrderPolicyDefined>(StatusCodes.Status200OK)]
    public static async Task<IResult> Put(
        string type, DefinePolicy body, IDocumentSession session, IClock clock, CancellationToken ct)
    {
        if (!Keys.IsValid(type)) return Problems.Invalid(nameof(type), $"a change order type is {Keys.Rule}");

        var errors = new FieldErrors();
        var names = body.Stages.SelectMany((stage, i) => stage.Steps.Select((step, j) => (step.Name, Path: $"$.stages[{i}].steps[{j}].name")));
        foreach (var duplicate in names.GroupBy(n => n.Name).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
            errors.Add(duplicate.Path, $"step {duplicate.Name} is named twice in the policy");
        if (errors.Count > 0) return Problems.Invalid(errors.ToDictionary());

        var defined = new ChangeOrderPolicyDefined(type, body.Stages.Select(stage => new PolicyStage(stage.Name, stage.Steps.Select(step =>
            new PolicyStep(step.Name, step.Target, step.Action, step.TimeoutSeconds ?? 300, RetryBody.ToRetry(step.Retry),
                step.Blocking ?? true, step.Compensation?.Action)).ToList())).ToList(), clock.GetCurrentInstant());
        var stream = await session.Events.FetchForWriting<ChangeOrderPolicyView>(ChangeOrderStreams.Policy(type), ct);
        stream.AppendOne(defined);
        await session.SaveChangesAsync(ct);
        return Results.Ok(defined);
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/change-order-policies/{type}", OperationId = "getChangeOrderPolicy", Summary = "The orchestration policy of a change order type")]
    [ProducesResponseType<ChangeOrderPolicyDefined>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string type, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (await session.LoadAsync<ChangeOrderPolicyView>(ChangeOrderStreams.Policy(type), ct) is not { } view)
            return Problems.NotFound($"No policy is defined for change orders of type {type}.");
        // An ERP does not see steps aimed at another plant's system by name.
        var hidden = await ReadScope.Of(user).HiddenInstancesAsync(session, ct);
        return Results.Ok(view.Policy with
        {
            Stages = view.Policy.Stages.Select(stage => stage with { Steps = stage.Steps.Where(s => !hidden.Contains(s.Target)).ToList() }).ToList(),
        });
    }
}
