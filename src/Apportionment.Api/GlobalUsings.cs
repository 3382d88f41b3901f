global using Apportionment.Api.Features.Ledger;
global using Apportionment.Api.Infrastructure.Errors;
global using Apportionment.Api.Infrastructure.Http;
global using Apportionment.Api.Infrastructure.Persistence;
global using Apportionment.Api.Infrastructure.Pipeline;
global using Apportionment.Api.Infrastructure.Security;
global using Apportionment.Api.Infrastructure.Validation;
global using Apportionment.Domain;
global using Mediator;
global using Microsoft.EntityFrameworkCore;

