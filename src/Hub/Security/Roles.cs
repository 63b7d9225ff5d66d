namespace ProductHub.Hub.Security;

/// <summary>The hub's roles, as a token's <c>role</c> claims name them.</summary>
public static class Roles
{
    /// <summary>PLM: release intake and change orders.</summary>
    public const string Plm = "plm";

    /// <summary>A plant's ERP: acknowledgements and status events for the plants in its <c>plant</c> claims only.</summary>
    public const string Erp = "erp";

    /// <summary>Read-only: every query, history and the change feed for replays.</summary>
    public const string Auditor = "auditor";

    /// <summary>Runs the hub: plants, ERP instances, webhooks, units, policies, replays, dead letters, exceptions.</summary>
    public const string Admin = "admin";

    public static readonly string[] All = [Plm, Erp, Auditor, Admin];
}

/// <summary>The claims the hub reads from a token.</summary>
public static class HubClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Plant = "plant";
}
