global using Apportionment.Domain;
global using CsCheck;
