/** Shapes of AFAS Profit's REST API (https://docs.afas.help/apidoc/en/GetConnector). */

/** One page of a GetConnector: `skip` and `take` echo the request. */
export interface GetConnectorPage {
  skip: number
  take: number
  rows: EmployeeRow[]
}

/**
 * A row of the customer's own GetConnector. Field ids are the labels the admin gave, spaces as `_`;
 * an empty field is null or left out. Date-times end in `Z` but are Amsterdam time.
 */
export interface EmployeeRow {
  Medewerker?: string | number | null
  Voornaam?: string | null
  Voorvoegsel?: string | null
  Achternaam?: string | null
  Email_werk?: string | null
  Functie_omschrijving?: string | null
  Organisatorische_eenheid_omschrijving?: string | null
  Leidinggevende?: string | number | null
  Datum_in_dienst?: string | null
  Datum_uit_dienst?: string | null
}

/** `GET /metainfo/get/{connectorId}`. */
export interface GetConnectorMetainfo {
  name: string
  description?: string
  fields: Array<{
    id: string
    fieldId?: string
    dataType?: string
    label?: string
    length?: number
    controlType?: number
    decimals?: number
    decimalsFieldId?: string
  }>
}
