using ProductHub.Domain.Erp;
using ProductHub.Domain.Webhooks;

namespace ProductHub.Hub.Security.Secrets;

/// <summary>
/// A named secret of a target system: its owner (the stream of what it belongs to: <c>erp/erp-p100</c>,
/// <c>webhook/mes</c>) and the field it fills there (<c>http.authHeader</c>; a Tryton connector's <c>tryton.password</c>,
/// SAP's <c>sap.clientSecret</c>). A new connector names its secrets here; the store itself needs no change.
/// </summary>
public sealed record SecretName(string Owner, string Field)
{
    public const string ErpAuthHeaderField = "http.authHeader";
    public const string WebhookAuthHeaderField = "authHeader";
    public const string TrytonPasswordField = "tryton.password";

    /// <summary>The key of its document in the store, <c>erp/erp-p100:http.authHeader</c>.</summary>
    public string Id => $"{Owner}:{Field}";

    public override string ToString() => Id;

    public static SecretName ErpAuthHeader(string instance) => new(ErpStreams.Instance(instance), ErpAuthHeaderField);

    public static SecretName TrytonPassword(string instance) => new(ErpStreams.Instance(instance), TrytonPasswordField);

    public static SecretName WebhookAuthHeader(string webhook) => new(WebhookStreams.Webhook(webhook), WebhookAuthHeaderField);
}

/// <summary>
/// A secret the hub does not keep itself, named in a configuration request (<c>"authHeaderFrom": {"env": "NAME"}</c> or
/// <c>{"file": "/run/secrets/x"}</c>) for deployments with a secret manager of their own: read at each send.
/// </summary>
public sealed record SecretFrom(string? Env, string? File);

/// <summary>A secret as read for one send: its value (none when no secret is configured), or why it cannot be had.</summary>
public readonly record struct ResolvedSecret(string? Value, string? Problem);

/// <summary>A stored secret: ciphertext of ASP.NET Core Data Protection, bound to its name. A document, never an event.</summary>
public sealed class StoredSecret
{
    public string Id { get; set; } = "";
    public string Ciphertext { get; set; } = "";
}
