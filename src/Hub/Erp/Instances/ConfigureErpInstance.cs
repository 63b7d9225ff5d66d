using System.Security.Claims;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Secrets;
using ProductHub.Hub.Api;
using ProductHub.Hub.Outbound;
using ProductHub.Hub.Security;
using ProductHub.Hub.Security.Secrets;
using ProductHub.Projections.Erp;
using Wolverine.Attributes;
using Wolverine.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace ProductHub.Hub.Erp.Instances;

/// <summary>Body of <c>PUT /api/v1/erp-instances/{name}</c>, shaped by <c>schemas/canonical/v1/erp-instance.schema.json</c>.</summary>
[Contract("canonical/v1/erp-instance.schema.json")]
public sealed record ConfigureErpInstance(
    ErpChannel Channel, HttpBody? Http, FileChannelSettings? File, KafkaBody? Kafka, MappingBody? Mapping, RetryBody? Retry,
    SystemKind? Kind = null, TrytonBody? Tryton = null);

public sealed record KafkaBody(string? Topic);

/// <summary>The auth header as a value (encrypted into the hub's secret store) or from an environment variable or file.</summary>
public sealed record HttpBody(string Url, string? AuthHeader, SecretFrom? AuthHeaderFrom, int? TimeoutSeconds);

/// <summary>The password as a value (encrypted into the hub's secret store) or from an environment variable or file.</summary>
public sealed record TrytonBody(string Url, string Database, string User, string? Password, SecretFrom? PasswordFrom, int? TimeoutSeconds);

/// <summary>A Tryton instance as answered: whether a password is set and where it comes from, never the password.</summary>
public sealed record TrytonAnswer(string Url, string Database, string User, bool HasPassword, SecretReference? PasswordSecret, int TimeoutSeconds)
{
    public static TrytonAnswer? From(TrytonChannelSettings? t) =>
        t is null ? null : new(t.Url, t.Database, t.User, t.PasswordSecret is not null, t.PasswordSecret, t.TimeoutSeconds);
}

public sealed record MappingBody(
    string? Version, Dictionary<string, string>? FieldNames, Dictionary<string, string>? UnitCodes, Dictionary<string, string>? PlantCodes);

/// <summary>An ERP instance as answered: the secret auth header is never part of it, only whether one is set and where it comes from.</summary>
public sealed record ErpInstanceResponse(
    string Name, ErpChannel Channel, string? Url, bool HasAuthHeader, SecretReference? AuthHeaderSecret, int? TimeoutSeconds,
    FileChannelSettings? File, KafkaChannelSettings? Kafka, ErpMapping Mapping, int MaxAttempts, IReadOnlyList<double> BackoffSeconds,
    Instant ConfiguredAt, SystemKind Kind, TrytonAnswer? Tryton)
{
    public static ErpInstanceResponse From(ErpInstanceConfigured c) => new(
        c.Name, c.Channel, c.Http?.Url, c.Http?.AuthHeaderSecret is not null, c.Http?.AuthHeaderSecret, c.Http?.TimeoutSeconds, c.File, c.Kafka,
        c.Mapping, c.Retry.MaxAttempts, c.Retry.Backoff.Select(b => b.TotalSeconds).ToList(), c.RecordedAt, c.Kind, TrytonAnswer.From(c.Tryton));
}

[Tags("ERP instances")]
public static class ConfigureErpInstanceEndpoint
{
    [Authorize(Policy = Access.Administration)]
    [WolverinePut("/api/v1/erp-instances/{name}", OperationId = "configureErpInstance", Summary = "Configure an ERP instance: its channel, mapping and retry policy")]
    [NonTransactional]
    [ProducesResponseType<ErpInstanceResponse>(StatusCodes.Status200OK)]
    [ProducesResponseType<ErpInstanceResponse>(StatusCodes.Status201Created)]
    public static async Task<IResult> Put(
        string name, ConfigureErpInstance body, IDocumentSession session, IClock clock, IOptions<JsonOptions> json,
        KafkaConnection kafka, OutboundPolicy outbound, SecretStore secrets, CancellationToken ct)
    {
        if (!Keys.IsValid(name)) return Problems.Invalid(nameof(name), $"an ERP instance name is {Keys.Rule}");
        var (urlPath, url) = body.Channel switch
        {
            ErpChannel.Http => ("$.http.url", body.Http?.Url),
            ErpChannel.Tryton => ("$.tryton.url", body.Tryton?.Url),
            _ => ("", null),
        };
        if (url is not null && await outbound.RefusalAsync(url, ct) is { } refusal) return Problems.Invalid(urlPath, refusal);
        var tryton = body.Channel == ErpChannel.Tryton ? body.Tryton : null;
        if (tryton is { Password: not null, PasswordFrom: not null })
            return Problems.Invalid("$.tryton.passwordFrom", "give the password or where it comes from, not both");
        if (tryton is { Password: null, PasswordFrom: null })
            return Problems.Invalid("$.tryton.password", "Tryton's login needs a password: give it, or passwordFrom");
        if (body.Channel == ErpChannel.Kafka && !kafka.IsConfigured)
            return Problems.Invalid("$.channel", "this hub has no Kafka configured (ProductHub__Kafka__BootstrapServers)");
        var http = body.Channel == ErpChannel.Http ? body.Http : null;
        if (http is { AuthHeader: not null, AuthHeaderFrom: not null })
            return Problems.Invalid("$.http.authHeaderFrom", "give the auth header or where it comes from, not both");

        // A channel other than http has no auth header: a stored one goes.
        var authHeader = await secrets.KeepAsync(session, SecretName.ErpAuthHeader(name), http?.AuthHeader, http?.AuthHeaderFrom, ct);
        var password = await secrets.KeepAsync(session, SecretName.TrytonPassword(name), tryton?.Password, tryton?.PasswordFrom, ct);
        var configured = new ErpInstanceConfigured(
            name, body.Channel,
            http is null ? null : new HttpChannelSettings(http.Url, authHeader, http.TimeoutSeconds ?? 30),
            body.Channel == ErpChannel.File ? body.File : null,
            body.Channel == ErpChannel.Kafka ? new KafkaChannelSettings(body.Kafka?.Topic ?? $"producthub.erp.{name}") : null,
            new ErpMapping(body.Mapping?.Version ?? "v1", body.Mapping?.FieldNames ?? [], body.Mapping?.UnitCodes ?? [],
                body.Mapping?.PlantCodes ?? []),
            RetryBody.ToRetry(body.Retry),
            clock.GetCurrentInstant(),
            body.Kind ?? SystemKind.Erp,
            tryton is null ? null : new TrytonChannelSettings(tryton.Url, tryton.Database, tryton.User, password, tryton.TimeoutSeconds ?? 30));

        var stream = await session.Events.FetchForWriting<ErpInstanceView>(ErpStreams.Instance(name), ct);
        if (stream.Aggregate is { } existing &&
            JsonSerializer.Serialize(existing.Configuration with { RecordedAt = default }, json.Value.SerializerOptions) ==
            JsonSerializer.Serialize(configured with { RecordedAt = default }, json.Value.SerializerOptions))
        {
            return Results.Ok(ErpInstanceResponse.From(existing.Configuration));
        }
        stream.AppendOne(configured);
        await session.SaveChangesAsync(ct);
        return stream.Aggregate is null
            ? Results.Created($"/api/v1/erp-instances/{Uri.EscapeDataString(name)}", ErpInstanceResponse.From(configured))
            : Results.Ok(ErpInstanceResponse.From(configured));
    }

    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/erp-instances/{name}", OperationId = "getErpInstance", Summary = "An ERP instance")]
    [ProducesResponseType<ErpInstanceResponse>(StatusCodes.Status200OK), ProblemAnswers(404)]
    public static async Task<IResult> Get(string name, ClaimsPrincipal user, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ErpInstanceView>(ErpStreams.Instance(name), ct) is { } instance &&
        !(await ReadScope.Of(user).HiddenInstancesAsync(session, ct)).Contains(name)
            ? Results.Ok(ErpInstanceResponse.From(instance.Configuration))
            : UnknownInstance(name);

    /// <summary>An ERP lists the instances of its plants (and those no plant names), not other plants' ERPs.</summary>
    [Authorize(Policy = Access.Read)]
    [WolverineGet("/api/v1/erp-instances", OperationId = "listErpInstances", Summary = "The ERP instances")]
    [ProducesResponseType<ListPage<ErpInstanceResponse>>(StatusCodes.Status200OK)]
    public static async Task<IResult> List(
        string? page, string? pageSize, HttpRequest request, ClaimsPrincipal user, IQuerySession session, CancellationToken ct)
    {
        if (!Paging.TryRead(page, pageSize, out var paging, out var problem)) return problem!;
        var hidden = (await ReadScope.Of(user).HiddenInstancesAsync(session, ct)).Select(ErpStreams.Instance).ToArray();
        var query = session.Query<ErpInstanceView>().AsQueryable();
        if (hidden.Length > 0) query = query.Where(i => !i.Id.IsOneOf(hidden));
        return await paging.AnswerAsync(request, query.OrderBy(i => i.Id), i => ErpInstanceResponse.From(i.Configuration), ct);
    }

    public static IResult UnknownInstance(string name) => Problems.NotFound($"ERP instance {name} is not known to the hub.");
}
