export default { title: "Home", search: "Search services", placeholder: "Service name, pinyin initials (e.g. spjy) or code", go: "Search" };
