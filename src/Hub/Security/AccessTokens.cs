using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ProductHub.Hub.Security;

/// <summary>Issues the hub's bearer tokens: for development, the demo, tests and the benchmark.</summary>
public static class AccessTokens
{
    public static string Issue(SecurityKey key, string subject, IReadOnlyCollection<string> roles,
        IReadOnlyCollection<string>? plants = null, TimeSpan? lifetime = null)
    {
        var claims = new Dictionary<string, object> { [HubClaims.Subject] = subject, [HubClaims.Role] = roles.ToArray() };
        if (plants is { Count: > 0 }) claims[HubClaims.Plant] = plants.ToArray();
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = SigningKey.Issuer,
            Audience = SigningKey.Audience,
            Claims = claims,
            Expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromHours(12)),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
