using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace ProductHub.Hub.Security;

/// <summary>
/// Tokens of an external identity provider, for deployments that have one: <c>ProductHub:Auth:Authority</c> (its
/// OpenID Connect discovery document names issuer and keys) or <c>ProductHub:Auth:JwksUrl</c> with
/// <c>ProductHub:Auth:Issuer</c>; <c>ProductHub:Auth:Audience</c> is the hub's audience there. Its claims are mapped
/// onto the hub's own (<c>sub</c>, <c>role</c>, <c>plant</c>) by the names in <c>RoleClaim</c> and <c>PlantClaim</c>,
/// so policies and the audit trail read one set of claims whoever issued the token.
/// </summary>
public sealed record IdentityProvider(string? Authority, string? JwksUrl, string? Issuer, string Audience, string RoleClaim, string PlantClaim)
{
    public const string Scheme = "identity-provider";

    /// <summary>Asymmetric algorithms only: the provider's public keys verify, nothing else may sign as it.</summary>
    public static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256];

    /// <summary>Whether a provider is configured (its Authority or its JwksUrl).</summary>
    public static bool IsConfigured(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["ProductHub:Auth:Authority"]) || !string.IsNullOrEmpty(configuration["ProductHub:Auth:JwksUrl"]);

    public static IdentityProvider? From(IConfiguration configuration)
    {
        if (!IsConfigured(configuration)) return null;
        var section = configuration.GetSection("ProductHub:Auth");
        var (authority, jwks) = (section["Authority"], section["JwksUrl"]);
        if (string.IsNullOrEmpty(section["Audience"]))
            throw new InvalidOperationException("ProductHub:Auth:Audience is required with an identity provider (Authority or JwksUrl).");
        if (!string.IsNullOrEmpty(jwks) && string.IsNullOrEmpty(section["Issuer"]))
            throw new InvalidOperationException("ProductHub:Auth:Issuer is required with ProductHub:Auth:JwksUrl.");
        return new IdentityProvider(NullIfEmpty(authority), NullIfEmpty(jwks), NullIfEmpty(section["Issuer"]), section["Audience"]!,
            section["RoleClaim"] ?? HubClaims.Role, section["PlantClaim"] ?? HubClaims.Plant);
    }

    /// <summary>A token the hub signed goes to the hub's scheme, any other to the provider's.</summary>
    public static bool IssuedByHub(string? authorization)
    {
        var token = authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true ? authorization[7..].Trim() : authorization;
        try
        {
            return new JsonWebToken(token).Issuer == SigningKey.Issuer;
        }
        catch (ArgumentException)
        {
            return true; // not a JWT at all: the hub's scheme refuses it like any bad token
        }
    }

    public void Configure(JwtBearerOptions options)
    {
        var metadata = new Uri(Authority ?? JwksUrl!);
        // Keys over plain HTTP only from this machine (a test's or a sidecar's provider): anyone on the path could swap them.
        var requireHttps = !metadata.IsLoopback;
        options.MapInboundClaims = false;
        if (Authority is not null)
        {
            options.Authority = Authority;
            options.RequireHttpsMetadata = requireHttps;
        }
        else
        {
            options.ConfigurationManager = new ConfigurationManager<OpenIdConnectConfiguration>(
                JwksUrl!, new JwksRetriever(), new HttpDocumentRetriever { RequireHttps = requireHttps });
        }
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = Audience,
            ValidAlgorithms = Algorithms,
            NameClaimType = HubClaims.Subject,
            RoleClaimType = HubClaims.Role,
            ClockSkew = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The provider's identity in the hub's claims: who, the hub roles among its roles, and its plants.</summary>
    public ClaimsPrincipal ToHub(ClaimsPrincipal principal)
    {
        var claims = principal.FindAll(HubClaims.Subject).Take(1)
            .Concat(principal.FindAll(RoleClaim).Where(c => Roles.All.Contains(c.Value)).Select(c => new Claim(HubClaims.Role, c.Value)))
            .Concat(principal.FindAll(PlantClaim).Select(c => new Claim(HubClaims.Plant, c.Value)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, HubClaims.Subject, HubClaims.Role));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>A bare JSON Web Key Set as the configuration: the keys, without a discovery document around them.</summary>
    private sealed class JwksRetriever : IConfigurationRetriever<OpenIdConnectConfiguration>
    {
        public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
        {
            var keys = new JsonWebKeySet(await retriever.GetDocumentAsync(address, cancel));
            var configuration = new OpenIdConnectConfiguration { JsonWebKeySet = keys, JwksUri = address };
            foreach (var key in keys.GetSigningKeys()) configuration.SigningKeys.Add(key);
            return configuration;
        }
    }
}
