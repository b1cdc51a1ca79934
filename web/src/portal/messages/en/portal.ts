export default {
  site: "Online Government Services",
  region: "Shenzhen",
  nav: "Main navigation",
  home: "Home",
  myCases: "My cases",
  myLicenses: "My licenses",
  lookup: "Case lookup",
  footer: "Government service hotline 12345",
  me: "Me",
};
