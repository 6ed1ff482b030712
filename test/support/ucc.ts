/** Messages of the Government Contact Center (UCC) as tests need them. */

/** A 1207 message of the UCC with the fields a test is about. */
export function uccHeader(o: {
  id: string;
  topic?: string;
  phone?: string;
  lastName?: string;
  annotation?: string;
  registered?: string;
}) {
  return `<Header standart="1207" version="1.5" charset="UTF-8" time="2026-11-20T09:16:02+02:00" msg_type="1"
  msg_id="msg-${o.id}" msg_acknow="2" from_org_id="37471967" from_organization="Урядовий контактний центр"
  from_sys_id="UCC" from_system="ЄСОЗ" to_org_id="03345678" to_organization="ЗОКЦ" to_sys_id="ZOKC" to_system="Шлюз">
  <Document idnumber="${o.id}" type="2" purpose_type="3" urgent="0"
    annotation="${o.annotation ?? 'Прошу відновити виплату пенсії, яку припинили з жовтня без пояснень.'}">
    <RegNumber regdate="2026-11-20">Т-${o.id}</RegNumber>
    <Confident flag="0"/>
    <Author><PrivatePerson>
      <Name secname="${o.lastName ?? 'Гончаренко'}" firstname="Микола" fathersname="Степанович"/>
      <Address settlement="м. Запоріжжя" street="вул. Незалежної України" house="33" flat="7"/>
      <Econtact type="м">${o.phone ?? '+380977654321'}</Econtact>
    </PrivatePerson></Author>
    <Writer><Organization ogrn="37471967" fullname="Урядовий контактний центр"/></Writer>
  </Document>
  <Expansion organization="37471967" exp_ver="1.0"><StaticExpansion/>
    <AppealCard topic="${o.topic ?? '006.02'}" territory="UA23060070010069526" channel="1545" form="1.1.1"
      subject="5.1" kind="3.2" registered="${o.registered ?? '2026-11-20T09:15:00+02:00'}"/>
  </Expansion>
</Header>`;
}
