using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Api;
using ProductHub.Hub.ChangeOrders.Orchestrating;
using ProductHub.Hub.Erp.Instances;
using ProductHub.Hub.Security;
using ProductHub.Projections.ChangeOrders;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Plants;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Http;

namespace ProductHub.Hub.ChangeOrders;

/// <summary>Body of <c>POST /api/v1/change-orders</c>, shaped by <c>schemas/canonical/v1/change-order.schema.json</c>.</summary>
[Contract("canonical/v1/change-order.schema.json")]
public sealed record CreateChangeOrder(
    string Number, string Type, string Reason, string? Source, IReadOnlyList<AffectedRevision> Affected, LocalDate RequestedEffectivity,
    ApproveChangeOrder? Approval);

[Contract("canonical/v1/approval.schema.json")]
public sealed record ApproveChangeOrder(string ApprovedBy);

[Contract("canonical/v1/acknowledgement.schema.json")]
public sealed record AcknowledgeStep(string? Reference);

/// <summary>Optional body of <c>POST /api/v1/change-orders/{number}/cancel</c>: why, recorded on the event.</summary>
[Contract("canonical/v1/cancel-change-order.schema.json")]
public sealed record CancelChangeOrder(string? Reason);

/// <summary>A change order in a list: its state and the steps that failed (forward or in compensation).</summary>
public sealed record ChangeOrderListed(
    string Number, string Type, ChangeOrderState State, string? StateReason, LocalDate RequestedEffectivity,
    IReadOnlyList<string> FailedSteps);

[Tags("Change orders")]
public static class ChangeOrderEndpoints
{
    private const string Rejected = "The change order was rejected";

    [Authorize(Policy = Access.Engineering)]
    [WolverinePost("/api/v1/change-orders", OperationId = "createChangeOrder", Summary = "Create a change order, approved at once if the body says so"), NonTransactional]
    [ProducesResponseType<ChangeOrderView>(StatusCodes.Status201Created), ProblemAnswers(422)]
    public static async Task<IResult> Create(
        CreateChangeOrder body, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {

        var errors = new FieldErrors();
        var parts = (await session.LoadManyAsync<PartView>(ct, body.Affected.Select(a => a.PartNumber).Distinct())).ToDictionary(p => p.Id);
        for (var i = 0; i < body.Affected.Count; i++)
        {
            var affected = body.Affected[i];
            if (!parts.TryGetValue(affected.PartNumber, out var part))
                errors.Add($"$.affected[{i}].partNumber", $"{affected.PartNumber} is not known to the hub");
            else if (part.FindRevision(affected.Revision) is null)
                errors.Add($"$.affected[{i}].revision", $"{affected.PartNumber} has no revision {affected.Revision}");
        }
        if (errors.Count > 0) return Problems.Unprocessable(Rejected, errors.ToDictionary());

        var stream = await session.Events.FetchForWriting<ChangeOrder>(ChangeOrderStreams.ChangeOrder(body.Number), ct);
        if (stream.Aggregate is not null) return Problems.Conflict($"Change order {body.Number} exists already.");
        var now = clock.GetCurrentInstant();
        var created = new ChangeOrderCreated(body.Number, body.Type, body.Reason, body.Affected, body.RequestedEffectivity, body.Source ?? "plm", now);
        stream.AppendOne(created);
        if (body.Approval is { } approval)
        {
            var order = ChangeOrder.From(created);
            var (approved, rejection) = await ApproveAsync(session, order, approval.ApprovedBy, now, ct);
            if (approved is null) return rejection!;
            await ChangeOrderFlow.RecordAsync(stream, order, ChangeOrderFlow.Decide(order, [approved], now), bus);
        }
        await session.SaveChangesAsync(ct);
        return Results.Created($"/api/v1/change-orders/{Uri.EscapeDataString(body.Number)}",
            await session.LoadAsync<ChangeOrderView>(stream.Key!, ct));
    }

    [Authorize(Policy = Access.Engineering)]
    [WolverinePost("/api/v1/change-orders/{number}/approve", OperationId = "approveChangeOrder",
        Summary = "Approve a change order: binds its plan and starts the orchestration")]
    [NonTransactional]
    [ProducesResponseType<ChangeOrderView>(StatusCodes.Status200OK), ProblemAnswers(404, 422)]
    public static async Task<IResult> Approve(
        string number, ApproveChangeOrder body, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ChangeOrder>(ChangeOrderStreams.ChangeOrder(number), ct);
        if (stream.Aggregate is not { } order) return UnknownChangeOrder(number);
        if (order.State != ChangeOrderState.Created) return Problems.Conflict($"Change order {number} is approved already.");

        var now = clock.GetCurrentInstant();
        var (approved, rejection) = await ApproveAsync(session, order, body.ApprovedBy, now, ct);
        if (approved is null) return rejection!;
        await ChangeOrderFlow.RecordAsync(stream, order, ChangeOrderFlow.Decide(order, [approved], now), bus);
        await session.SaveChangesAsync(ct);
        return Results.Ok(await session.LoadAsync<ChangeOrderView>(stream.Key!, ct));
    }

    /// <summary>Change orders by state; <c>state=needsAttention</c> is the workbench of change orders whose compensation failed.</summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/change-orders", OperationId = "listChangeOrders", Summary = "The change orders with their state and failed steps")]
    [ProducesResponseType<ListPage<ChangeOrderListed>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(
        string? state, string? page, string? pageSize, HttpRequest request, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (!QueryParameters.TryEnum<ChangeOrderState>(state, nameof(state), out var wanted, out var problem) ||
            !Paging.TryRead(page, pageSize, out var paging, out problem))
        {
            return problem!;
        }
        var scope = ReadScope.Of(user);
        var hidden = await scope.HiddenInstancesAsync(session, ct);
        var query = session.Query<ChangeOrderView>().AsQueryable();
        if (wanted is not null) query = query.Where(c => c.State == wanted);
        return await paging.AnswerAsync(request, query.OrderBy(c => c.Id), c =>
        {
            var v = ForCaller(c, scope, hidden);
            return new ChangeOrderListed(
                v.Number, v.Type, v.State, v.StateReason, v.RequestedEffectivity,
                v.Steps.Where(s => s.Forward.Status == StepStatus.Failed || s.Compensation.Status == StepStatus.Failed)
                    .Select(s => s.Plan.Name).ToList());
        }, ct);
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/change-orders/{number}", OperationId = "getChangeOrder", Summary = "A change order with the timeline of every step")]
    [ProducesResponseType<ChangeOrderView>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string number, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ChangeOrderView>(ChangeOrderStreams.ChangeOrder(number), ct) is { } view
            ? Results.Ok(await ForCallerAsync(view, user, session, ct))
            : UnknownChangeOrder(number);

    /// <summary>
    /// The change order as this caller may read it: an ERP does not see the steps sent to other plants' systems, nor
    /// their lines in the timeline, nor a reason naming one; only admins see what the systems answered.
    /// </summary>
    public static ChangeOrderView ForCaller(ChangeOrderView view, ReadScope scope, IReadOnlySet<string> hiddenInstances)
    {
        var hidden = view.Steps.Where(s => hiddenInstances.Contains(s.Plan.Instance)).Select(s => s.Plan.Name).ToHashSet();
        string? Conceal(string? text) => text is not null && hidden.Any(text.Contains) ? "concerns a step for another plant's system" : scope.Error(text);
        StepSide Shown(StepSide side) => side with { LastError = scope.Error(side.LastError) };
        return view with
        {
            Steps = view.Steps.Where(s => !hidden.Contains(s.Plan.Name))
                .Select(s => s with { Forward = Shown(s.Forward), Compensation = Shown(s.Compensation) }).ToList(),
            StateReason = Conceal(view.StateReason),
            Timeline = view.Timeline.Where(e => e.Step is null || !hidden.Contains(e.Step)).Select(e => e with { Detail = Conceal(e.Detail) }).ToList(),
        };
    }

    private static async Task<ChangeOrderView> ForCallerAsync(ChangeOrderView view, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        var scope = ReadScope.Of(user);
        return ForCaller(view, scope, await scope.HiddenInstancesAsync(session, ct));
    }

    /// <summary>A system's acknowledgement of a step (or of its compensation) by callback; twice is recorded once.</summary>
    [Authorize(Policy = Access.PlantFeedback)]
    [WolverinePost("/api/v1/change-orders/{number}/steps/{step}/ack", OperationId = "acknowledgeChangeOrderStep", Summary = "Acknowledge a change order step (a system's callback)")]
    [NonTransactional]
    [ProducesResponseType<ChangeOrderView>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Acknowledge(
        string number, string step, AcknowledgeStep body, ClaimsPrincipal user, IDocumentSession session, IMessageBus bus, IClock clock,
        CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ChangeOrder>(ChangeOrderStreams.ChangeOrder(number), ct);
        if (stream.Aggregate is not { } order || order.FindStep(step) is not { } state) return UnknownStep(number, step);
        // A step goes to one system; an ERP may acknowledge it when that system is the ERP of a plant it acts for.
        // Only an ERP caller is bound to plants, so only then are the plants of the step's system looked up.
        if (PlantAccess.IsPlantBound(user) &&
            !(await PlantsOfInstance.CodesAsync(session, state.Plan.Instance, ct)).Any(p => PlantAccess.Allows(user, p)))
            return PlantAccess.Refused($"step {step} of {number}");

        // The acknowledgement is for whichever side of the step is awaiting one: its compensation, or the step itself.
        var compensation = state.Compensation.Status is StepStatus.Sent or StepStatus.Retrying;
        if (state.Side(compensation).Status is StepStatus.Sent or StepStatus.Retrying)
        {
            var now = clock.GetCurrentInstant();
            await ChangeOrderFlow.RecordAsync(stream, order,
                ChangeOrderFlow.Decide(order, [new StepAcknowledged(number, step, compensation, body.Reference, now)], now), bus);
            await session.SaveChangesAsync(ct);
        }
        return Results.Ok(await ForCallerAsync((await session.LoadAsync<ChangeOrderView>(stream.Key!, ct))!, user, session, ct));
    }

    /// <summary>Sends a step that failed for good again: a compensation that failed, or a non-blocking step.</summary>
    [Authorize(Policy = Access.Engineering)]
    [WolverinePost("/api/v1/change-orders/{number}/steps/{step}/retry", OperationId = "retryChangeOrderStep", Summary = "Retry a change order step that failed for good")]
    [NonTransactional]
    [ProducesResponseType<ChangeOrderView>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Retry(string number, string step, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ChangeOrder>(ChangeOrderStreams.ChangeOrder(number), ct);
        if (stream.Aggregate is not { } order || order.FindStep(step) is not { } state) return UnknownStep(number, step);
        if (ChangeOrderActions.WhyNotRetry(order, state) is { } refused) return Problems.Conflict(refused);

        var now = clock.GetCurrentInstant();
        await ChangeOrderFlow.RecordAsync(stream, order, ChangeOrderFlow.Decide(order, [new StepRetriedByHand(number, step, now)], now), bus);
        await session.SaveChangesAsync(ct);
        return Results.Ok(await session.LoadAsync<ChangeOrderView>(stream.Key!, ct));
    }

    /// <summary>
    /// Cancels a change order in flight: nothing further is sent and what was applied is compensated. The body, with a
    /// reason, is optional, as it was not asked for when the endpoint came out.
    /// </summary>
    [Authorize(Policy = Access.Engineering)]
    [WolverinePost("/api/v1/change-orders/{number}/cancel", OperationId = "cancelChangeOrder", Summary = "Cancel a change order, compensating the steps done")]
    [NonTransactional]
    [ProducesResponseType<ChangeOrderView>(StatusCodes.Status200OK)]
    [ProblemAnswers(404)]
    public static Task<IResult> Cancel(
        string number, CancelChangeOrder? body, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct) =>
        CancelAsync(number, body?.Reason, session, bus, clock, ct);

    /// <summary>Cancels with a reason or none; the web workbench calls this too, with the reason it asked for.</summary>
    public static async Task<IResult> CancelAsync(string number, string? reason, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<ChangeOrder>(ChangeOrderStreams.ChangeOrder(number), ct);
        if (stream.Aggregate is not { } order) return UnknownChangeOrder(number);
        if (ChangeOrderActions.WhyNotCancel(order) is { } refused) return Problems.Conflict(refused);
        var now = clock.GetCurrentInstant();
        var why = string.IsNullOrWhiteSpace(reason) ? "cancelled" : $"cancelled: {reason.Trim()}";
        await ChangeOrderFlow.RecordAsync(stream, order, ChangeOrderFlow.Decide(order, [new ChangeOrderCompensationStarted(number, why, now)], now), bus);
        await session.SaveChangesAsync(ct);
        return Results.Ok(await session.LoadAsync<ChangeOrderView>(stream.Key!, ct));
    }

    /// <summary>Binds the type's policy to concrete systems: <c>plant-erps</c> becomes one step per ERP instance of a plant the affected parts were published to.</summary>
    private static async Task<(ChangeOrderApproved? Approved, IResult? Rejection)> ApproveAsync(
        IDocumentSession session, ChangeOrder order, string approvedBy, Instant now, CancellationToken ct)
    {
        if (await session.LoadAsync<ChangeOrderPolicyView>(ChangeOrderStreams.Policy(order.Type), ct) is not { } policy)
            return (null, Problems.Unprocessable(Rejected, new Dictionary<string, string[]>
                { ["$.type"] = [$"no orchestration policy is defined for type {order.Type}"] }));

        var parts = order.Affected.Select(a => a.PartNumber).Distinct().ToArray();
        var plants = (await session.Query<PlantBomView>().Where(v => v.PartNumber.IsOneOf(parts)).ToListAsync(ct))
            .Select(v => v.PlantCode).Distinct().Order().ToList();
        var plantErps = (await session.LoadManyAsync<PlantView>(ct, plants.Select(PlantStreams.Plant)))
            .Select(p => (p.Code, p.Current().ErpInstance)).ToList();

        var plan = policy.Policy.Stages.SelectMany((stage, index) => stage.Steps.SelectMany(step => step.Target == ChangeOrderStreams.PlantErps
            ? plantErps.Select(p => Planned(step, index, $"{step.Name}-{p.Code.ToLowerInvariant()}", p.ErpInstance))
            : [Planned(step, index, step.Name, step.Target)])).ToList();
        return (new ChangeOrderApproved(order.Number, approvedBy, plan, now), null);

        static PlannedStep Planned(PolicyStep step, int stage, string name, string instance) =>
            new(name, stage, instance, step.Action, step.TimeoutSeconds, step.Retry, step.Blocking, step.CompensationAction);
    }

    private static IResult UnknownChangeOrder(string number) => Problems.NotFound($"No change order {number} is known to the hub.");

    private static IResult UnknownStep(string number, string step) => Problems.NotFound($"Change order {number} has no step {step}.");
}
