const b=142,h=[142],v={142: (u,i,e)=>{e.r(i),e.d(i,{fixtureFrom:()=>p,simCommand:()=>w});var d=e(3024),m=e.n(d),g=e(859),o=e(2044);function p(s){if(!s||s==="empty")return{repos:[]};if(s==="demo")return(0,g.v)();try{return JSON.parse((0,d.readFileSync)(s,"utf8"))}catch(r){throw new o.eb(`--fixture ${s}: ${r.message.split(`
`)[0]}`)}}const w={name:"sim",summary:"Run the GitHub simulator (sim serve)",usage:"shepherd sim serve [--port N] [--fixture demo|empty|FILE.json] [--seed N] [--check-responses] [--json]",async run(s,r){const{values:a,positionals:l}=(0,o.qg)(s,{port:{type:"string"},fixture:{type:"string"},seed:{type:"string"},"check-responses":{type:"boolean"}},1);if(l[0]!=="serve")throw new o.eb(`sim takes one subcommand, serve; got ${l[0]?`"${l[0]}"`:"none"}`);const k=(0,o.dP)(a.port,"port",0),f=p(a.fixture);let t;try{const{Simulator:n}=await Promise.all([e.e(815),e.e(275),e.e(992),e.e(878)]).then(e.bind(e,7992));t=await n.start({port:k,fixture:f,seed:(0,o.dP)(a.seed,"seed",1),checkResponses:!!a["check-responses"]})}catch(n){throw new o.eb(`cannot start the simulator: ${n.message}`)}return r.out(`listening ${t.url}`),a.json?r.out(JSON.stringify({url:t.url,repos:[...t.state.repos.keys()],tokens:[...t.state.tokens.values()].map(n=>({login:n.login,kind:n.kind}))})):r.out(`repositories: ${[...t.state.repos.keys()].join(", ")||"(none)"}; admin routes under ${t.url}/_sim/ (docs/simulator.md)`),await new Promise(n=>{const c=()=>n();process.once("SIGINT",c),process.once("SIGTERM",c)}),await t.stop(),0}}} ,859: (u,i,e)=>{e.d(i,{v:()=>d});function d(){return{orgs:[{login:"acme",members:["maintainer","reviewer","member","api-lead","web-lead"],teams:[{slug:"maintainers",members:["maintainer"],repos:{"acme/widgets":"maintain"}}]}],tokens:[{token:"maintainer-token",login:"maintainer",kind:"pat"},{token:"reviewer-token",login:"reviewer",kind:"pat"},{token:"contributor-token",login:"contributor",kind:"pat"},{token:"dev-token",login:"dev",kind:"pat"},{token:"member-token",login:"member",kind:"pat"},{token:"api-lead-token",login:"api-lead",kind:"pat"},{token:"web-lead-token",login:"web-lead",kind:"pat"},{token:"ghs_actions",login:"github-actions[bot]",kind:"github-token"},{token:"ci-token",login:"ci[bot]",kind:"app"}],repos:[{owner:"acme",name:"widgets",defaultBranch:"main",collaborators:{reviewer:"write",dev:"write","api-lead":"write","web-lead":"write"},labels:[{name:"do-not-merge/hold",color:"e11d21",description:"Indicates that a PR should not merge because someone has issued a /hold command."},{name:"lgtm",color:"15dd18"},{name:"approved",color:"0ffa16"},...["needs-ok-to-test","ok-to-test","area/api","area/web","size/XS","size/S","size/M","kind/feature","kind/bug"].map(m=>({name:m}))],files:{".github/shepherd.yml":`triage:
  hold:
    label: do-not-merge/hold
`,OWNERS:`approvers:
  - maintainer
reviewers:
  - reviewer
`,"src/widget.ts":`export const widget = 1
`,"api/OWNERS":`approvers: [api-lead]
reviewers: [reviewer]
labels: [area/api]
`,"web/OWNERS":`approvers: [web-lead]
reviewers: [reviewer]
labels: [area/web]
`,"api/cart.go":`package api
`,"web/cart.ts":`export {}
`},branches:{"feature/faster-widgets":{files:{"src/widget.ts":`export const widget = 2
`},message:"Make widgets faster"},"contributor/cart-totals":{files:{"api/cart.go":`package api

// Total sums the cart.
func Total(prices []int) (t int) {
	for _, p := range prices {
		t += p
	}
	return t
}
`,"web/cart.ts":`export const total = (prices: number[]) => prices.reduce((a, b) => a + b, 0)
`},message:"Add cart totals"}},pulls:[{number:1,title:"Make widgets faster",body:"Speeds up widgets.\n\n```release-note\nWidgets are faster.\n```\n",user:"contributor",head:"feature/faster-widgets"}],workflows:["ci.yml"]}]}}} };export{b as id,h as ids,v as modules};
