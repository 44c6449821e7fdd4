# Drawn by the replicate harness; run `gnuplot dedup-ablation.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Dedup ablation on EC-dup (1 = training loss, last 20%; 2 = held-out loss, random concat)"
set xlabel "1 training loss (last 20% of steps), 2 held-out loss (random concat)"
set ylabel "loss (nats/token)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'dedup-ablation.png'
plot 'dedup-ablation.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "ICP-dedup", \
     'dedup-ablation.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP-nodedup"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'dedup-ablation.svg'
plot 'dedup-ablation.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "ICP-dedup", \
     'dedup-ablation.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ICP-nodedup"
unset output
